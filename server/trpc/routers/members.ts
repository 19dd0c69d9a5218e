/** Members of the tenant the input names: thin procedures over server/services/members. */
import { z } from "zod";
import { getMember } from "../../services/members/get-member.ts";
import { leaveTenant } from "../../services/members/leave-tenant.ts";
import { listMemberFilterOptions } from "../../services/members/list-member-filter-options.ts";
import { listMembers } from "../../services/members/list-members.ts";
import {
  MAX_PAGE_SIZE,
  MEMBER_SORTS,
  ZMember,
  ZMemberDetail,
  ZMemberFilterOptions,
  ZListMembersOutput,
  ZMemberKind,
  ZMemberStatus,
  ZMembershipId,
  ZRoleSlug,
} from "../../services/members/members.schema.ts";
import { reactivateMember } from "../../services/members/reactivate-member.ts";
import { removeMember } from "../../services/members/remove-member.ts";
import { setMemberRoles } from "../../services/members/set-member-roles.ts";
import { suspendMember } from "../../services/members/suspend-member.ts";
import { updateMemberProfile } from "../../services/members/update-member-profile.ts";
import { router } from "../init.ts";
import { tenantProcedure, withTenant } from "../procedures.ts";

// The transport declares loose shapes and strips `tenant`; each service parses its own strict schema again.
const without = <T extends { tenant: string }>({ tenant: _t, ...rest }: T) => rest;
const id = { id: ZMembershipId };

export const membersRouter = router({
  list: tenantProcedure
    .input(withTenant({
      search: z.string().max(200).optional(),
      status: ZMemberStatus.optional(),
      kind: ZMemberKind.optional(),
      role: ZRoleSlug.optional(),
      unitId: ZMembershipId.optional(),
      hasFullAccess: z.boolean().optional(),
      sort: z.enum(MEMBER_SORTS).optional(),
      direction: z.enum(["asc", "desc"]).optional(),
      page: z.number().int().min(1).optional(),
      pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
      cursor: z.string().max(4_096).optional(),
    }))
    .output(ZListMembersOutput)
    .query(({ ctx, input }) => listMembers(ctx.db, ctx.actor, without(input))),
  filterOptions: tenantProcedure
    .input(withTenant())
    .output(ZMemberFilterOptions)
    .query(({ ctx }) => listMemberFilterOptions(ctx.db, ctx.actor)),
  get: tenantProcedure.input(withTenant(id)).output(ZMemberDetail).query(({ ctx, input }) => getMember(ctx.db, ctx.actor, without(input))),
  updateProfile: tenantProcedure
    .input(withTenant({
      ...id,
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
      displayName: z.string().nullable().optional(),
      phone: z.string().nullable().optional(),
      language: z.string().optional(),
    }))
    .output(ZMember)
    .mutation(({ ctx, input }) => updateMemberProfile(ctx.db, ctx.actor, without(input))),
  setRoles: tenantProcedure
    .input(withTenant({ ...id, roles: z.array(z.string()).max(20), hasFullAccess: z.boolean() }))
    .output(ZMember)
    .mutation(({ ctx, input }) => setMemberRoles(ctx.db, ctx.actor, without(input))),
  suspend: tenantProcedure.input(withTenant(id)).output(ZMember).mutation(({ ctx, input }) => suspendMember(ctx.db, ctx.actor, without(input))),
  reactivate: tenantProcedure.input(withTenant(id)).output(ZMember).mutation(({ ctx, input }) => reactivateMember(ctx.db, ctx.actor, without(input))),
  remove: tenantProcedure.input(withTenant(id)).output(ZMember).mutation(({ ctx, input }) => removeMember(ctx.db, ctx.actor, without(input))),
  leave: tenantProcedure.input(withTenant()).output(ZMember).mutation(({ ctx }) => leaveTenant(ctx.db, ctx.actor)),
});
