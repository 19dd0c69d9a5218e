/**
 * Roster's operator CLI: `npm run -s cli -- <command> [options] [--json]`. With --json each command prints exactly
 * one line of JSON on stdout and exits 0, or prints the error on stderr and exits non-zero. Commands call the same
 * services as the app, as the system actor of the named tenant, so every rule and the audit log apply.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadSystemActor } from "../authz/actor.ts";
import { DataDirLockedError } from "../db/lock.ts";
import { ConfigError } from "../env.ts";
import { isAppError } from "../errors.ts";
import { listFailedJobs } from "../jobs/queue.ts";
import { addMember } from "../services/members/add-member.ts";
import { ImportRejectedError, importMembers } from "../services/members/import-members.ts";
import { MEMBER_CSV_COLUMNS } from "../services/members/import-members.schema.ts";
import { createTenant } from "../services/tenants/create-tenant.ts";
import { createApiToken } from "../services/tokens/create-api-token.ts";
import { createUnit } from "../services/units/create-unit.ts";
import { openForCli } from "./open.ts";

const HELP = `Roster CLI

Usage: npm run -s cli -- <command> [options] [--json]
(-s keeps npm's banner off stdout, so --json output can be parsed)

Commands:
  tenant:create --name NAME --owner-email EMAIL --owner-password PW [--slug SLUG]
      Create a tenant; the owner gets full access to every unit, including units created later.
  unit:create --tenant SLUG --name NAME --kind LOCATION|SUBSIDIARY|PROJECT
      Create a unit in a tenant.
  member:add --tenant SLUG --email EMAIL [--password PW] [--role SLUG] [--unit ID ...] [--client]
      Add an active member with ROLE as tenant role and at each unit. With --password a new account is verified;
      without it the person gets a verification email (sent by the running server) and then chooses a password.
  members:import --tenant SLUG --file people.csv [--dry-run] [--mode atomic|per_row]
      Add everyone in a CSV as active members, set-based (one transaction, a few statements whatever the size).
      Header row required, columns in any order: ${MEMBER_CSV_COLUMNS.join(", ")} (roles: slugs separated by ";",
      default worker). New accounts get no password and no email: people use "Forgot password?" to sign in.
      Already members are reported as exists. atomic (default): any bad row and nothing is written; per_row: the
      good rows are. --dry-run validates and reports without writing.
  token:create --tenant SLUG --kind partner|personal --name NAME [--scopes a,b] [--user-email EMAIL]
      Create an API token; it is printed once. Without --scopes a partner token gets every scope.
  jobs:failed
      List the dead-lettered background jobs (given up after their retries), newest first, with the last error.

Options:
  --json    print one line of JSON
  --help    show this help

Database: DATABASE_URL=postgres://... for PostgreSQL; otherwise the embedded database in DATA_DIR (default ./data),
which only one process may open: stop the server first.
`;

class UsageError extends Error {}

type Values = Record<string, string | boolean | string[] | undefined>;

function need(values: Values, key: string): string {
  const v = values[key];
  if (typeof v !== "string" || v === "") throw new UsageError(`--${key} is required`);
  return v;
}

const numberList = (v: string[] | undefined): number[] =>
  (v ?? []).flatMap((s) => s.split(",")).filter(Boolean).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--unit expects unit ids, got "${s}"`);
    return n;
  });

async function run(command: string, values: Values): Promise<{ json: unknown; text: string }> {
  const handle = await openForCli();
  try {
    const db = handle.prisma;
    switch (command) {
      case "tenant:create": {
        const r = await createTenant(db, {
          name: need(values, "name"), ownerEmail: need(values, "owner-email"), ownerPassword: need(values, "owner-password"),
          ...(typeof values.slug === "string" ? { slug: values.slug } : {}),
        });
        return { json: { tenant: r.tenant, owner: r.owner }, text: `Created tenant ${r.tenant.name} (${r.tenant.slug}, id ${r.tenant.id}); owner ${r.owner.email}` };
      }
      case "unit:create": {
        const actor = await loadSystemActor(db, need(values, "tenant"));
        const unit = await createUnit(db, actor, { name: need(values, "name"), kind: need(values, "kind").toUpperCase() as "LOCATION" });
        return { json: { unit }, text: `Created ${unit.kind.toLowerCase()} ${unit.name} (id ${unit.id})` };
      }
      case "member:add": {
        const actor = await loadSystemActor(db, need(values, "tenant"));
        const r = await addMember(db, actor, {
          email: need(values, "email"), ...(typeof values.password === "string" ? { password: values.password } : {}),
          ...(typeof values.role === "string" ? { role: values.role } : {}),
          unitIds: numberList(values.unit as string[] | undefined), client: values.client === true,
        });
        return { json: { user: r.user, membership: r.membership }, text: `Added ${r.user.email} (user ${r.user.id}, membership ${r.membership.id})` };
      }
      case "members:import": {
        const actor = await loadSystemActor(db, need(values, "tenant"));
        const file = need(values, "file");
        let csv: string;
        try {
          csv = fs.readFileSync(file, "utf8");
        } catch (e) {
          throw new UsageError(`cannot read --file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
        const mode = typeof values.mode === "string" ? values.mode : "atomic";
        if (mode !== "atomic" && mode !== "per_row") throw new UsageError("--mode must be atomic or per_row");
        const started = performance.now();
        const r = await importMembers(db, actor, { csv, activate: true, dryRun: values["dry-run"] === true, mode });
        const ms = Math.round(performance.now() - started);
        const bad = r.results.filter((x) => x.status === "error");
        const summary = `${r.dryRun ? "Dry run (nothing written): " : ""}${r.rows} rows: ${r.counts.created} ${r.dryRun ? "to create" : "created"}, ${r.counts.exists} already members, ${r.counts.error} invalid (${ms} ms)`;
        return { json: { ...r, ms }, text: [summary, ...bad.map((x) => `  row ${x.row} (${x.email || "no email"}): ${x.error}`)].join("\n") };
      }
      case "token:create": {
        const actor = await loadSystemActor(db, need(values, "tenant"));
        const kind = need(values, "kind");
        if (kind !== "partner" && kind !== "personal") throw new UsageError("--kind must be partner or personal");
        let tokenActor = actor;
        if (kind === "personal") {
          const email = need(values, "user-email").trim().toLowerCase();
          const user = await db.user.findUnique({ where: { email }, select: { id: true } });
          if (!user) throw new UsageError(`no user ${email}`);
          tokenActor = { ...actor, userId: user.id };
        }
        const scopes = typeof values.scopes === "string" ? values.scopes.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
        const r = await createApiToken(db, tokenActor, { kind, name: need(values, "name"), ...(scopes ? { scopes } : {}) });
        return { json: { token: r.token }, text: `Token (shown once, store it now):\n${r.token}` };
      }
      case "jobs:failed": {
        const jobs = await listFailedJobs(db);
        const lines = jobs.map((j) => `  job ${j.id} ${j.type}: ${j.attempts}/${j.maxAttempts} attempts, failed ${j.failedAt.toISOString()}: ${j.lastError ?? "(no error recorded)"}`);
        return { json: { jobs }, text: jobs.length ? [`${jobs.length} failed job(s):`, ...lines].join("\n") : "No failed jobs." };
      }
      default:
        throw new UsageError(`unknown command "${command}" (see --help)`);
    }
  } finally {
    await handle.close();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const command = argv[0];
  const { values } = parseArgs({
    args: argv.slice(1),
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: "boolean" }, help: { type: "boolean" }, name: { type: "string" }, slug: { type: "string" },
      "owner-email": { type: "string" }, "owner-password": { type: "string" }, tenant: { type: "string" },
      kind: { type: "string" }, email: { type: "string" }, password: { type: "string" }, role: { type: "string" },
      unit: { type: "string", multiple: true }, client: { type: "boolean" }, scopes: { type: "string" },
      "user-email": { type: "string" }, file: { type: "string" }, "dry-run": { type: "boolean" }, mode: { type: "string" },
    },
  });
  if (!command || command === "--help" || command === "help" || values.help) {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  const { json, text } = await run(command, values);
  process.stdout.write(values.json ? JSON.stringify(json) + "\n" : text + "\n");
  return 0;
}

function explain(e: unknown): { message: string; code: number } {
  if (e instanceof UsageError) return { message: `${e.message}`, code: 2 };
  if (e instanceof DataDirLockedError || e instanceof ConfigError) return { message: e.message, code: 1 };
  if (e instanceof ImportRejectedError) {
    const rows = e.report.results.filter((r) => r.status === "error").map((r) => `\n  row ${r.row} (${r.email || "no email"}): ${r.error}`);
    return { message: e.userMessage + rows.join(""), code: 1 };
  }
  if (isAppError(e)) return { message: e.userMessage, code: 1 };
  if (e instanceof TypeError && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) return { message: e.message, code: 2 };
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ECONNREFUSED" || err?.code === "ENOTFOUND") return { message: `cannot reach the database (DATABASE_URL): ${err.code}`, code: 1 };
  return { message: err?.message ?? String(e), code: 1 };
}

/** Exits once stdout and stderr have drained: process.exit right away cuts a large --json answer on a pipe. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => (--pending === 0 ? process.exit(code) : undefined);
  process.stdout.write("", done);
  process.stderr.write("", done);
}

main().then(
  (code) => exitAfterFlush(code),
  (e: unknown) => {
    const { message, code } = explain(e);
    process.stderr.write(`error: ${message}\n`);
    exitAfterFlush(code);
  },
);
