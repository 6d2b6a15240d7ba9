"use client";

import type { RouterOutputs } from "@kayos/api";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

type Service = RouterOutputs["health"]["services"]["services"][number];

const LABEL: Record<Service["state"] | "checking", string> = {
  healthy: "Healthy",
  down: "Down",
  "key-rejected": "Key rejected",
  checking: "Checking…",
};

const TITLE: Record<Service["service"], [name: string, role: string]> = {
  nexus: ["KayNexus", "LLM planning"],
  smith: ["KaySmith", "Code execution"],
  observer: ["CodingObserver", "Analytics"],
};

function Card(props: {
  id: string;
  title: [string, string];
  state: Service["state"] | "checking";
  detail: string;
  url?: string;
}) {
  const [name, role] = props.title;
  return (
    <article
      className="card"
      data-testid={`service-${props.id}`}
      data-state={props.state}
      aria-label={`${name}: ${LABEL[props.state]}`}
    >
      <header>
        <div>
          <h2>{name}</h2>
          <p className="muted">{role}</p>
        </div>
        <span className={`badge ${props.state}`}>{LABEL[props.state]}</span>
      </header>
      {props.url && <code>{props.url}</code>}
      <p className="muted">{props.detail}</p>
    </article>
  );
}

export function ServiceHealthPanel() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.health.services.queryOptions(), refetchInterval: 5_000, retry: false });

  const web = health.isPending
    ? { state: "checking" as const, detail: "Asking the control plane…" }
    : health.isError && !health.data
      ? { state: "down" as const, detail: `${health.error.message}. Check that the web server is running.` }
      : { state: "healthy" as const, detail: "Answering; signed in and authorized." };

  return (
    <section aria-labelledby="services-title" className="card" style={{ gap: "1rem" }}>
      <div className="section-head">
        <h2 id="services-title">Services</h2>
        <span className="muted" aria-live="polite">
          {health.data ? `${health.data.server.name} · checked ${health.data.checkedAt.toLocaleTimeString()}` : ""}
        </span>
      </div>
      <div className="grid">
        <Card id="web" title={["Control plane", "Web, API and database"]} state={web.state} detail={web.detail} />
        {(health.data?.services ?? []).map((s) => (
          <Card
            key={s.service}
            id={s.service}
            title={TITLE[s.service]}
            state={s.state}
            url={s.url}
            detail={
              s.state === "healthy" ? `v${s.version} · answered in ${s.latencyMs} ms` : (s.message ?? "No answer")
            }
          />
        ))}
        {health.isPending &&
          (["nexus", "smith", "observer"] as const).map((s) => (
            <Card key={s} id={s} title={TITLE[s]} state="checking" detail="Checking…" />
          ))}
      </div>
    </section>
  );
}
