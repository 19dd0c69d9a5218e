// The schema lives in email.schema.ts so that browser forms can validate with it too (they may import only schema files).
export { normaliseEmail, ZEmail } from "./email.schema.ts";
