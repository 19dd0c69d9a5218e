/** server/env.ts: configuration fails fast and names the variable that is wrong. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, getDatabaseConfig, getEnv, readRawEnv, resetEnvCache } from "../../server/env.ts";

let dataDir: string;
/** A process.env stand-in (its type insists on NODE_ENV). */
const vars = (v: Record<string, string>) => v as NodeJS.ProcessEnv;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-env-"));
  // Start every case from a clean slate whatever the developer's shell exports.
  for (const k of ["DATABASE_URL", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "SMTP_URL", "PORT", "DATA_ENCRYPTION_KEY", "DATA_ENCRYPTION_OLD_KEYS", "TRUSTED_PROXIES"]) vi.stubEnv(k, undefined);
  vi.stubEnv("DATA_DIR", dataDir);
  resetEnvCache();
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("readRawEnv", () => {
  it.each(["mysql://root@db/roster", "file:./dev.db", "127.0.0.1:5432"])("should refuse DATABASE_URL=%s naming DATABASE_URL", (url) => {
    const err = configError(() => readRawEnv(vars({ DATABASE_URL: url })));
    expect(err.message).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it("should accept postgres:// and postgresql:// URLs", () => {
    expect(readRawEnv(vars({ DATABASE_URL: "postgres://u@h/db" })).DATABASE_URL).toBe("postgres://u@h/db");
    expect(readRawEnv(vars({ DATABASE_URL: "postgresql://u@h/db" })).DATABASE_URL).toBe("postgresql://u@h/db");
  });

  it("should treat a blank variable as unset", () => {
    expect(readRawEnv(vars({ DATABASE_URL: "", DATA_DIR: "" }))).toMatchObject({ DATABASE_URL: undefined, DATA_DIR: "./data" });
  });

  it("should name every invalid variable", () => {
    const err = configError(() => readRawEnv(vars({ PORT: "99999", NEXTAUTH_SECRET: "short", SMTP_URL: "http://mail" })));
    expect(err.message).toContain("PORT:");
    expect(err.message).toContain("NEXTAUTH_SECRET: must be at least 32 characters");
    expect(err.message).toContain("SMTP_URL:");
  });
});

describe("getEnv", () => {
  it("should refuse DATABASE_URL without NEXTAUTH_SECRET, naming NEXTAUTH_SECRET", () => {
    vi.stubEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/roster");
    expect(configError(() => getEnv()).message).toContain("NEXTAUTH_SECRET: required when DATABASE_URL is set");
  });

  it("should refuse a non-postgres DATABASE_URL naming DATABASE_URL", () => {
    vi.stubEnv("DATABASE_URL", "sqlite:///tmp/x.db");
    expect(configError(() => getEnv()).message).toContain("DATABASE_URL");
  });

  it("should generate a secret in local mode, keep it under DATA_DIR and reuse it after a restart", () => {
    const first = getEnv();
    expect(first.embedded).toBe(true);
    expect(first.databaseUrl).toBeNull();
    expect(first.dataDir).toBe(path.resolve(dataDir));
    expect(first.nextAuthSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, "nextauth-secret");
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first.nextAuthSecret);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    resetEnvCache();
    expect(getEnv().nextAuthSecret).toBe(first.nextAuthSecret);
  });

  it("should give another data directory another secret", () => {
    const a = getEnv().nextAuthSecret;
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "roster-env-"));
    try {
      vi.stubEnv("DATA_DIR", other);
      resetEnvCache();
      expect(getEnv().nextAuthSecret).not.toBe(a);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("should use NEXTAUTH_SECRET when given and write no secret file", () => {
    vi.stubEnv("NEXTAUTH_SECRET", "s".repeat(40));
    vi.stubEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/roster");
    vi.stubEnv("DATA_ENCRYPTION_KEY", "ab".repeat(32));
    const env = getEnv();
    expect(env).toMatchObject({ nextAuthSecret: "s".repeat(40), embedded: false, databaseUrl: "postgres://postgres@127.0.0.1:5432/roster" });
    expect(fs.existsSync(path.join(dataDir, "nextauth-secret"))).toBe(false);
  });

  it("should derive the public URL from NEXTAUTH_URL without a trailing slash, else from PORT", () => {
    vi.stubEnv("PORT", "4123");
    expect(getEnv().publicUrl).toBe("http://localhost:4123");
    resetEnvCache();
    vi.stubEnv("NEXTAUTH_URL", "https://roster.example.com/");
    expect(getEnv().publicUrl).toBe("https://roster.example.com");
  });

  it("should convert session timeouts to milliseconds", () => {
    vi.stubEnv("SESSION_IDLE_MINUTES", "15");
    vi.stubEnv("SESSION_MAX_HOURS", "2");
    expect(getEnv()).toMatchObject({ sessionIdleMs: 15 * 60_000, sessionMaxMs: 2 * 3_600_000 });
  });

  it("should cache the configuration until resetEnvCache", () => {
    const first = getEnv();
    vi.stubEnv("PORT", "5555");
    expect(getEnv()).toBe(first);
    resetEnvCache();
    expect(getEnv().port).toBe(5555);
  });
});

describe("getDatabaseConfig", () => {
  it("should need no secret", () => {
    expect(getDatabaseConfig(vars({ DATABASE_URL: "postgres://x@y/z", DATA_DIR: "/tmp/roster" }))).toEqual({
      databaseUrl: "postgres://x@y/z",
      dataDir: "/tmp/roster",
      poolMax: 10,
      directUrl: null,
      preparedStatements: true,
    });
  });

  it("should take DATABASE_DIRECT_URL for migrations only with DATABASE_URL, and refuse a non-postgres one", () => {
    expect(getDatabaseConfig(vars({ DATABASE_URL: "postgres://x@bouncer/z", DATABASE_DIRECT_URL: "postgres://x@primary/z" })).directUrl).toBe("postgres://x@primary/z");
    expect(getDatabaseConfig(vars({ DATABASE_DIRECT_URL: "postgres://x@primary/z" })).directUrl).toBeNull();
    expect(configError(() => getDatabaseConfig(vars({ DATABASE_DIRECT_URL: "mysql://x@y/z" }))).message).toContain("DATABASE_DIRECT_URL");
  });

  it("should take the pool size from DATABASE_POOL_MAX and refuse a non-positive one", () => {
    expect(getDatabaseConfig(vars({ DATABASE_URL: "postgres://x@y/z", DATABASE_POOL_MAX: "25" })).poolMax).toBe(25);
    expect(configError(() => getDatabaseConfig(vars({ DATABASE_POOL_MAX: "0" }))).message).toContain("DATABASE_POOL_MAX");
  });
});

describe("data encryption key, proxies and rate limits", () => {
  it("should refuse DATABASE_URL without DATA_ENCRYPTION_KEY, naming DATA_ENCRYPTION_KEY", () => {
    vi.stubEnv("DATABASE_URL", "postgres://u@h/db");
    vi.stubEnv("NEXTAUTH_SECRET", "s".repeat(40));
    expect(configError(() => getEnv()).message).toContain("DATA_ENCRYPTION_KEY: required when DATABASE_URL is set");
  });

  it("should generate a 32-byte key once in local mode and keep it across restarts", () => {
    const first = getEnv().dataKeys.current;
    expect(first.length).toBe(32);
    expect(fs.statSync(path.join(dataDir, "data-encryption-key")).mode & 0o777).toBe(0o600);
    resetEnvCache();
    expect(getEnv().dataKeys.current.equals(first)).toBe(true);
  });

  it("should refuse a DATA_ENCRYPTION_KEY that is not 64 hex characters", () => {
    expect(configError(() => readRawEnv(vars({ DATA_ENCRYPTION_KEY: "abc" }))).message).toContain("DATA_ENCRYPTION_KEY: must be 32 random bytes");
  });

  it("should refuse TRUSTED_PROXIES that are not IP addresses", () => {
    expect(configError(() => readRawEnv(vars({ TRUSTED_PROXIES: "10.0.0.1, proxy.local" }))).message).toContain("TRUSTED_PROXIES");
  });

  it("should read RATE_LIMIT_<NAME>=points/seconds and refuse a malformed one by name", () => {
    vi.stubEnv("RATE_LIMIT_SIGNIN_ACCOUNT_IP", "5/60");
    expect(getEnv().rateLimits.SIGNIN_ACCOUNT_IP).toEqual({ points: 5, windowMs: 60_000 });
    resetEnvCache();
    vi.stubEnv("RATE_LIMIT_REST_TOKEN", "lots");
    expect(configError(() => getEnv()).message).toContain("RATE_LIMIT_REST_TOKEN: must be points/seconds");
  });

  it("should use secure cookies exactly when NEXTAUTH_URL is https", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://roster.example.com");
    expect(getEnv().secureCookies).toBe(true);
    resetEnvCache();
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
    expect(getEnv().secureCookies).toBe(false);
  });
});

describe("DATABASE_PREPARED_STATEMENTS and statement names", () => {
  it("should default to named statements, accept off, and refuse anything else", async () => {
    const { getDatabaseConfig } = await import("../../server/env.ts");
    const base = { DATABASE_URL: "postgres://x@y/z", NEXTAUTH_SECRET: "s".repeat(40) } as unknown as NodeJS.ProcessEnv;
    expect(getDatabaseConfig({ ...base }).preparedStatements).toBe(true);
    expect(getDatabaseConfig({ ...base, DATABASE_PREPARED_STATEMENTS: "off" }).preparedStatements).toBe(false);
    expect(() => getDatabaseConfig({ ...base, DATABASE_PREPARED_STATEMENTS: "yes" })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it("should give one SQL text one name, different texts different names, and stop naming new texts past the cap", async () => {
    const { statementNames, MAX_NAMED_STATEMENTS } = await import("../../server/db/client.ts");
    const name = statementNames();
    const a = name({ sql: "SELECT 1" });
    expect(a).toMatch(/^r/);
    expect(name({ sql: "SELECT 1" })).toBe(a);
    expect(name({ sql: "SELECT 2" })).not.toBe(a);
    // A pattern's selectivity decides a search's plan: those are planned with their parameters, every time.
    expect(name({ sql: `SELECT 1 FROM "User" u WHERE u."searchText" LIKE $1` })).toBeUndefined();
    expect(name({ sql: `SELECT /* plan per call */ ARRAY(SELECT 1)` })).toBeUndefined();
    for (let i = 0; i < MAX_NAMED_STATEMENTS; i++) name({ sql: `SELECT ${i} AS filler` });
    expect(name({ sql: "SELECT 'one too many'" })).toBeUndefined();
    expect(name({ sql: "SELECT 1" })).toBe(a);
  });
});
