import { createTRPCRouter } from "../../trpc";
import { acceptInvitationAsNewUser } from "./accept-invitation-as-new-user";
import { current } from "./current";
import { acceptInvitation, changeRole, invitations, invite, removeMember, revokeInvitation, update } from "./manage";
import { members } from "./members";
import { mine } from "./mine";
import { previewInvitation } from "./preview-invitation";

export const orgRouter = createTRPCRouter({
  current,
  mine,
  members,
  update,
  invite,
  invitations,
  revokeInvitation,
  previewInvitation,
  acceptInvitation,
  acceptInvitationAsNewUser,
  changeRole,
  removeMember,
});
