"use client";

import { inviteInput } from "@kayos/api/routers/org/schema";
import { ROLES, type RoleName } from "@kayos/db/roles";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { InvitationCreated } from "./invitation-created";

export function MembersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.org.members.queryOptions());
  const invitations = useQuery(trpc.org.invitations.queryOptions());
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<RoleName>("builder");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries(trpc.org.pathFilter());
  const changeRole = useMutation(trpc.org.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.org.removeMember.mutationOptions({ onSuccess: refresh }));
  const invite = useMutation(trpc.org.invite.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.org.revokeInvitation.mutationOptions({ onSuccess: refresh }));

  function onInvite(event: FormEvent) {
    event.preventDefault();
    const { data, errors } = fieldErrors(inviteInput, { email, role });
    setErrors(errors);
    if (data) invite.mutate(data);
  }

  return (
    <>
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <ErrorAlert error={changeRole.error ?? remove.error} />
        <QueryState query={members} isEmpty={(d) => d.length === 0} empty="No members.">
          {(list) => (
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Role</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id}>
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    <td>
                      <label className="inline">
                        <span className="sr-only">Role of {m.email}</span>
                        <select value={m.role} onChange={(e) => changeRole.mutate({ userId: m.id, role: e.target.value as RoleName })}>
                          {ROLES.map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      </label>
                    </td>
                    <td>
                      <button type="button" className="danger" onClick={() => confirm(`Remove ${m.email}?`) && remove.mutate({ userId: m.id })}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite</h2>
        {invite.data && <InvitationCreated {...invite.data} />}
        <form className="stack" onSubmit={onInvite} noValidate>
          <ErrorAlert error={invite.error ?? revoke.error} />
          <div className="row">
            <label>
              Email
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={!!errors.email} />
              {errors.email && <span className="field-error">{errors.email}</span>}
            </label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(e.target.value as RoleName)}>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
          </div>
          <div>
            <button className="primary" type="submit" disabled={invite.isPending}>
              {invite.isPending ? "Inviting…" : "Invite"}
            </button>
          </div>
        </form>
        <h3>Open invitations</h3>
        <QueryState query={invitations} isEmpty={(d) => d.length === 0} empty="No open invitations.">
          {(list) => (
            <ul>
              {list.map((i) => (
                <li key={i.id} className="row">
                  {i.email} as {i.role}, until {i.expiresAt.toLocaleDateString()}
                  <button type="button" onClick={() => revoke.mutate({ id: i.id })}>
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </section>
    </>
  );
}
