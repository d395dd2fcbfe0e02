import { Id } from "@aidtrail/domain";
import { householdBalances, householdProfile } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../problems/problem.js";
import { IdParams, Position, problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";

const ProgramTotal = z.object({
  programId: z.string(),
  paidFen: z.int(),
  reversedFen: z.int(),
  netFen: z.int(),
  pendingFen: z.int(),
  payments: z.int(),
  reversals: z.int(),
});

export const HouseholdView = z.object({
  householdId: Id,
  villageId: z.string(),
  headMemberId: z.string(),
  povertyCause: z.string(),
  status: z.string(),
  statusEffectiveOn: z.string(),
  statusReason: z.string().nullable(),
  registeredOn: z.string(),
  bankAccountMasked: z.string().nullable(),
  members: z.array(
    z.object({
      memberId: z.string(),
      name: z.string(),
      nationalIdMasked: z.string().describe("masked, e.g. 3201**********1234; the clear value never leaves the vault"),
      birthDate: z.string(),
      relation: z.string(),
      schoolLevel: z.string().nullable(),
      health: z.string(),
    }),
  ),
  totals: z.array(ProgramTotal).describe("per program, in fen"),
  position: Position.describe("the last event of the household reflected here"),
});

/** GET /v1/households/{id} (all roles, in scope): profile, status and totals per program. */
export const getHouseholdRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/households/:id",
    { schema: { tags: ["households"], summary: "A household's profile, status and totals per program", params: IdParams, response: { 200: HouseholdView, ...problemResponses } } },
    async (request) => {
      const { id } = request.params;
      const [profile, totals] = await Promise.all([householdProfile(db, id), householdBalances(db, id)]);
      if (!profile) throw notFound("household_not_found", `household ${id} is not registered`);
      return {
        householdId: profile.householdId,
        villageId: profile.villageId,
        headMemberId: profile.headMemberId,
        povertyCause: profile.povertyCause,
        status: profile.status,
        statusEffectiveOn: profile.statusEffectiveOn,
        statusReason: profile.statusReason,
        registeredOn: profile.registeredOn,
        bankAccountMasked: profile.bankAccountMasked,
        members: profile.members,
        totals,
        position: profile.updatedPosition.toString(),
      };
    },
  );
};
