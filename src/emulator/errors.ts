// Service errors as the emulator sends them (cognito-behaviour.md §1.1): `{"__type","message"}`,
// the x-amzn-ErrorType header, 400 for every client error and 500 for InternalErrorException.
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return this.type === "InternalErrorException" ? 500 : 400;
  }
}

export const invalidParameter = (message: string) => new ServiceError("InvalidParameterException", message);
export const notFound = (message: string) => new ServiceError("ResourceNotFoundException", message);
