// Writes schemas/identity-provider.schema.json from the schema the code validates with (src/core/schema.ts).
import { writeFileSync } from "node:fs";
import { IDENTITY_PROVIDER_SCHEMA } from "../dist/core/schema.js";

writeFileSync(new URL("../schemas/identity-provider.schema.json", import.meta.url), JSON.stringify(IDENTITY_PROVIDER_SCHEMA, null, 2) + "\n");
console.log("wrote schemas/identity-provider.schema.json");
