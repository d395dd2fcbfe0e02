import { CalendarDate, Id, Member, PovertyCause } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Position, type RouteDeps, answerPosition, problemResponses } from "../../schemas/common.js";

/** A member as the officer types it: the national id in clear; it is sealed before any event is written. */
const MemberInput = Member.omit({ nationalId: true }).extend({
  name: z.string().min(1).max(100),
  nationalId: z.string().min(15).max(32).describe("18 (or 15) digits, the last may be X; stored encrypted, shown masked"),
});

export const RegisterHouseholdBody = z.strictObject({
  householdId: Id.describe("client-chosen; a retry with the same body gets the same answer"),
  villageId: Id,
  headMemberId: Id,
  members: z.array(MemberInput).min(1).max(50),
  povertyCause: PovertyCause,
  registeredOn: CalendarDate,
  bankAccount: z.string().min(8).max(40).exactOptional(),
});

const Registered = z.object({ householdId: Id, villageId: Id, status: z.literal("enrolled"), position: Position });

/** POST /v1/households (officer): 建档立卡, register a poor household. */
export const registerHouseholdRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/households",
    {
      schema: {
        tags: ["households"],
        summary: "Register a household",
        body: RegisterHouseholdBody,
        response: { 201: Registered, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await app.commands.registerHousehold(
        {
          householdId: body.householdId,
          villageId: body.villageId,
          headMemberId: body.headMemberId,
          members: body.members,
          povertyCause: body.povertyCause,
          registeredOn: body.registeredOn,
          ...(body.bankAccount === undefined ? {} : { bankAccount: body.bankAccount }),
        },
        request.commandContext(),
      );
      const position = await answerPosition(store, result);
      return reply.code(201).send({ householdId: body.householdId, villageId: body.villageId, status: "enrolled" as const, position });
    },
  );
};
