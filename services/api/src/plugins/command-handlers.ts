import { type CommandContext, type CommandHandlers, type PiiVault, createCommandHandlers } from "@aidtrail/commands";
import { type EventStore, type GlobalCheckpoint, compareCheckpoints } from "@aidtrail/event-store";
import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { observedEventStore } from "../commands/observed-event-store.js";

/** What the API needs of a projector running in this process (or elsewhere): read-your-writes. */
export interface ProjectionWaiter {
  waitFor(checkpoint: GlobalCheckpoint, timeoutMs: number): Promise<boolean>;
}

declare module "fastify" {
  interface FastifyInstance {
    commands: CommandHandlers;
  }
  interface FastifyRequest {
    /** The actor, request id and time a command runs with. */
    commandContext(): CommandContext;
  }
}

export interface CommandHandlersOptions {
  store: EventStore;
  vault: PiiVault;
  projector?: ProjectionWaiter;
  /** How long a write waits for its events to be projected before answering; 0 does not wait. */
  waitForProjectionMs: number;
}

/**
 * The command handlers over an observed store. A write answers once the projector has applied
 * what it appended (bounded by waitForProjectionMs), so a client reading right after its write
 * sees it; the `aidtrail-projected` header says whether that happened in time. A client that
 * never reads its own writes (a bulk import) skips the wait with `Prefer: projection=none`.
 */
/** RFC 7240 preference: answer as soon as the events are stored, without waiting for the read models. */
export const NO_PROJECTION_WAIT = "projection=none";

function prefersNoProjectionWait(request: FastifyRequest): boolean {
  const prefer = request.headers.prefer;
  if (prefer === undefined) return false;
  const values = Array.isArray(prefer) ? prefer : [prefer];
  return values.some((v) => v.split(",").some((p) => p.trim().toLowerCase() === NO_PROJECTION_WAIT));
}

export const commandHandlers = fp<CommandHandlersOptions>(
  async (app, options) => {
    // Keyed by request id (every event's metadata carries it): the highest checkpoint a request reached.
    const reached = new Map<string, GlobalCheckpoint>();
    const store = observedEventStore(options.store, (events, result) => {
      // One append can carry several requests' events (StreamWriter groups the writers of a stream).
      for (const e of events) {
        app.metrics.eventsAppended.inc({ type: e.type });
        const requestId = e.metadata?.requestId;
        if (typeof requestId !== "string") continue;
        const previous = reached.get(requestId);
        if (!previous || compareCheckpoints(result.checkpoint, previous) > 0) reached.set(requestId, result.checkpoint);
      }
    });
    app.decorate("commands", createCommandHandlers({ store, vault: options.vault }));
    app.decorateRequest("commandContext", function (this: FastifyRequest): CommandContext {
      const principal = this.principal;
      if (!principal) throw new Error("commandContext on an unauthenticated route");
      return { actor: { id: principal.sub, roles: [...principal.roles] }, requestId: this.id, now: new Date().toISOString() };
    });

    app.addHook("onSend", async (request, reply) => {
      const checkpoint = reached.get(request.id);
      if (!checkpoint) return;
      reached.delete(request.id);
      if (!options.projector || options.waitForProjectionMs <= 0) return;
      if (prefersNoProjectionWait(request)) {
        reply.header("preference-applied", NO_PROJECTION_WAIT);
        return;
      }
      const projected = await options.projector.waitFor(checkpoint, options.waitForProjectionMs);
      reply.header("aidtrail-projected", String(projected));
    });
    // A request that failed before onSend must not leave its entry behind.
    app.addHook("onResponse", async (request) => {
      reached.delete(request.id);
    });
  },
  { name: "aidtrail-command-handlers", dependencies: ["aidtrail-metrics", "aidtrail-authentication"] },
);
