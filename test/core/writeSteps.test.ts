import { describe, expect, it } from "vitest";
import type { Change } from "../../src/core/plan.js";
import { writeSteps } from "../../src/core/writeSteps.js";
import type { DesiredProvider, LiveProvider } from "../../src/core/types.js";

const key = (providerName: string) => ({ region: "us-east-1", userPoolId: "us-east-1_Pool1", providerName });
const spec = (name: string, ids: string[]) => ({
  key: key(name),
  providerType: "SAML" as const,
  providerDetails: { MetadataURL: "https://x" },
  attributeMapping: undefined,
  idpIdentifiers: ids,
  acrMapping: undefined,
});
const d = (name: string, ids: string[]): DesiredProvider => ({ ...spec(name, ids), source: { file: "f", line: 1, col: 1 }, secretKeys: [] });
const l = (name: string, ids: string[]): LiveProvider => spec(name, ids);
const change = (action: Change["action"], name: string, want: string[] | undefined, have: string[] | undefined): Change => ({
  action,
  pool: "us-east-1/us-east-1_Pool1",
  key: key(name),
  desired: want ? d(name, want) : undefined,
  live: have ? l(name, have) : undefined,
  diffs: [],
  writeOnlySent: [],
});
const show = (changes: Change[]) =>
  writeSteps(changes).map((s) => `${s.kind} ${s.change.key.providerName}${s.keepIdentifiers ? ` [${s.keepIdentifiers.join(",")}]` : ""}`);

describe("writeSteps", () => {
  it("keeps plan order when no identifier moves", () => {
    expect(show([change("delete", "old", undefined, ["z"]), change("update", "a", ["x", "y"], ["x"]), change("create", "b", ["w"], undefined)])).toEqual([
      "delete old",
      "update a",
      "create b",
    ]);
  });

  it("releases a moved identifier before the update that claims it", () => {
    // b is sorted before a in the plan, yet a must give up "x" first.
    expect(show([change("update", "a", ["y"], ["x", "y"]), change("update", "b", ["x"], [])].reverse())).toEqual(["release a [y]", "update b", "update a"]);
  });

  it("breaks a swap with releases that claim nothing new", () => {
    expect(show([change("update", "a", ["y"], ["x"]), change("update", "b", ["x"], ["y"])])).toEqual(["release a []", "release b []", "update a", "update b"]);
  });

  it("deletes the old half of a replace first and creates the new half last", () => {
    expect(show([change("replace", "r", ["n"], ["x"]), change("update", "a", ["x"], ["n"]), change("create", "c", ["q"], undefined)])).toEqual([
      "delete r",
      "release a []",
      "update a",
      "create r",
      "create c",
    ]);
  });
});
