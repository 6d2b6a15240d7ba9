import { createTRPCRouter } from "../../trpc";
import { current } from "./current";
import { acceptInvitation, changeRole, invitations, invite, removeMember, revokeInvitation, update } from "./manage";
import { members } from "./members";
import { mine } from "./mine";

export const orgRouter = createTRPCRouter({
  current,
  mine,
  members,
  update,
  invite,
  invitations,
  revokeInvitation,
  acceptInvitation,
  changeRole,
  removeMember,
});
