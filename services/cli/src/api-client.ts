import { loadOrCreateJwtKey, signHs256 } from "@aidtrail/api";
import type { Role } from "@aidtrail/domain";
import { UsageError } from "./usage-error.js";

/** The API is not there: one line, not a stack trace (main prints UsageErrors that way). */
export class ApiUnreachable extends UsageError {}
import { readDatabaseConfig } from "@aidtrail/db";

export interface ApiAnswer {
  status: number;
  body: string;
  bytes: Buffer;
  json<T = unknown>(): T;
}

/**
 * Talks to a running `aidtrail start` over HTTP with development tokens minted from
 * `<AIDTRAIL_DATA_DIR>/jwt.key` (the key the server verifies with unless a production key is set).
 * 429 and 503 are retried after the server's Retry-After: the API's limits are per token.
 */
export class ApiClient {
  private constructor(
    readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  static async fromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ApiClient> {
    const baseUrl = env.AIDTRAIL_URL ?? `http://${env.AIDTRAIL_HOST ?? "127.0.0.1"}:${env.AIDTRAIL_PORT ?? "3000"}`;
    const secret = env.AIDTRAIL_JWT_SECRET ?? (await loadOrCreateJwtKey(readDatabaseConfig(env).AIDTRAIL_DATA_DIR));
    return new ApiClient(baseUrl.replace(/\/$/, ""), secret);
  }

  /** A bearer header for `sub` with these roles, township scope, valid for two hours. */
  auth(sub: string, roles: readonly Role[]): Record<string, string> {
    return { authorization: `Bearer ${signHs256({ sub, roles: [...roles], scope: "township" }, this.secret, 7_200)}` };
  }

  async request(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: unknown): Promise<ApiAnswer> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new ApiUnreachable(`cannot reach the API at ${this.baseUrl} (is \`aidtrail start\` running?): ${(error as Error).message}`);
      }
      if ((res.status === 429 || res.status === 503) && attempt < 20) {
        const wait = Number(res.headers.get("retry-after") ?? "1");
        await new Promise((r) => setTimeout(r, Math.min(Math.max(wait, 0.2), 10) * 1000));
        continue;
      }
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString("utf8");
      return { status: res.status, body: text, bytes, json: <T>() => JSON.parse(text) as T };
    }
  }
}
