import Fastify from "fastify";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { LazyRequestLogger, lazyRequestLogger } from "./lazy-request-logger.js";

/** A pino logger at `level` whose lines land in `lines`, parsed. */
function capturing(level: pino.Level) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe("LazyRequestLogger", () => {
  it("writes enabled lines with the request's bindings, and makes no child for lines below the level", () => {
    const { logger, lines } = capturing("warn");
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    const lazy = new LazyRequestLogger(logger, { reqId: "r-1" });
    lazy.info({ a: 1 }, "not written");
    lazy.debug("not written");
    expect(children).toBe(0);
    lazy.warn({ b: 2 }, "written");
    lazy.info("still below the level");
    lazy.error(new Error("boom"));
    expect(children).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ["r-1", "written"],
      ["r-1", "boom"],
    ]);
    expect(lines[0]?.b).toBe(2);
  });

  it("follows a level change of its parent, and its own children carry its bindings", () => {
    const { logger, lines } = capturing("warn");
    const lazy = new LazyRequestLogger(logger, { reqId: "r-2" });
    logger.level = "info";
    lazy.info("now written");
    lazy.child({ part: "x" }).info("from a child");
    expect(lines.map((l) => [l.reqId, l.part, l.msg])).toEqual([
      ["r-2", undefined, "now written"],
      ["r-2", "x", "from a child"],
    ]);
    expect(lazy.level).toBe("info");
  });

  it("is a real child when a route asks for its own level", () => {
    const { logger } = capturing("warn");
    expect(lazyRequestLogger(logger, { reqId: "r-3" }, { level: "debug" })).not.toBeInstanceOf(LazyRequestLogger);
    expect(lazyRequestLogger(logger, { reqId: "r-3" }, {})).toBeInstanceOf(LazyRequestLogger);
  });

  it("as fastify's child logger factory: a request's error line carries its request id", async () => {
    const { logger, lines } = capturing("warn");
    const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyRequestLogger, genReqId: () => "req-42" });
    app.get("/fails", async (request) => {
      request.log.info("below the level");
      request.log.error({ step: "handler" }, "handler failed");
      return { ok: true };
    });
    expect((await app.inject({ method: "GET", url: "/fails" })).statusCode).toBe(200);
    await app.close();
    expect(lines.filter((l) => l.msg === "handler failed").map((l) => [l.reqId, l.step])).toEqual([["req-42", "handler"]]);
    expect(lines.some((l) => l.msg === "below the level")).toBe(false);
  });
});
