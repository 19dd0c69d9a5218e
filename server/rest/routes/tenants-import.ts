/**
 * The member CSV import, `/api/v1/tenants/members/import` (a Roster addition in seed 003's dialect). Dispatched by
 * REST_ROUTES (./index.ts); app/api/v1/tenants/members/import/route.ts re-exports this handler.
 */
import { AppError, AppErrorCode, ERROR_TABLE } from "../../errors.ts";
import { readBodyCapped } from "../../security/body-limit.ts";
import { ImportRejectedError, importMembers } from "../../services/members/import-members.ts";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "../../services/members/import-members.schema.ts";
import { seed003Route } from "../seed003.ts";

const tooLarge = () => new AppError(AppErrorCode.PAYLOAD_TOO_LARGE, { userMessage: `The file is larger than ${MAX_IMPORT_BYTES} bytes.` });
const badParam = (name: string, message: string) =>
  new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid ${name}: ${message}`, issues: [{ path: name, message }] });

/**
 * The CSV from a `text/csv` body or a multipart form's `file` field. The documented exception to the 1 MB body limit:
 * up to MAX_IMPORT_BYTES, read through the same capped reader (413 beyond, before anything is parsed).
 */
async function readCsv(req: Request): Promise<string> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await readBodyCapped(req, MAX_IMPORT_BYTES);
  if (text === null) throw tooLarge();
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(text, { headers: { "content-type": req.headers.get("content-type")! } }).formData();
    } catch {
      throw new AppError(AppErrorCode.BAD_REQUEST, { userMessage: "The request body is not a valid multipart form." });
    }
    const file = form.get("file");
    if (file === null) throw badParam("file", "the form has no file field");
    return typeof file === "string" ? file : await file.text();
  }
  if (type === "" || type === "text/csv" || type === "text/plain" || type === "application/csv") return text;
  throw new AppError(AppErrorCode.BAD_REQUEST, { userMessage: "Send the file as text/csv, or as multipart/form-data with a file field." });
}

function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  if (v === null) return false;
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  throw badParam(name, "must be 1 or 0");
}

/**
 * Roster addition: imports a member CSV (the members export's columns) as invitations. `?dry_run=1` validates and
 * reports; `?mode=per_row` writes the good rows (default atomic: one bad row and nothing is written, 422 with every
 * row's result). 200 `{ dryRun, mode, written, rows, counts, results: [{ row, email, status, error? }] }`.
 */
export const membersImportPOST = seed003Route({ body: false }, async ({ req, db, principal }) => {
  const url = new URL(req.url);
  const mode = url.searchParams.get("mode") ?? "atomic";
  if (mode !== "atomic" && mode !== "per_row") throw badParam("mode", "must be atomic or per_row");
  const dryRun = flag(url, "dry_run");
  if (Number(req.headers.get("content-length") ?? "0") > MAX_IMPORT_BYTES) throw tooLarge();
  const csv = await readCsv(req);
  try {
    return { status: 200, body: await importMembers(db, principal!.actor, { csv, dryRun, mode, maxRows: MAX_IMPORT_ROWS }) };
  } catch (e) {
    // Rejected as a whole: the seed 003 problem, plus every row's result so the caller can fix the file in one go.
    if (e instanceof ImportRejectedError) {
      return { status: 422, body: { title: ERROR_TABLE[e.code].title, detail: e.userMessage, time: new Date().toISOString(), ...e.report } };
    }
    throw e;
  }
});
