import { CalendarDate, HouseholdStatus, Id } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParams, Position, type RouteDeps, answerPosition, problemResponses } from "../../schemas/common.js";

const Body = z.strictObject({ status: HouseholdStatus, reason: z.string().min(1).max(1000), effectiveOn: CalendarDate });
const Changed = z.object({ householdId: Id, status: HouseholdStatus, effectiveOn: CalendarDate, position: Position });

/** POST /v1/households/{id}/status (officer): 动态管理, every change an event with reason and officer. */
export const changeHouseholdStatusRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/households/:id/status",
    {
      schema: {
        tags: ["households"],
        summary: "Change a household's status (enrolled → pre_exit → exited → re_enrolled)",
        params: IdParams,
        body: Body,
        response: { 200: Changed, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { status, reason, effectiveOn } = request.body;
      const result = await app.commands.changeHouseholdStatus({ householdId: id, to: status, reason, effectiveOn }, request.commandContext());
      // A retry of the latest change appends nothing; its answer is that change's position.
      const position =
        result.events[0]?.position ??
        (await store.readStream(result.streamId, { direction: "backwards" })).find((e) => e.type === "HouseholdStatusChanged")?.position.toString();
      if (position === undefined) throw new Error("status change left no event");
      return { householdId: id, status, effectiveOn, position };
    },
  );
};
