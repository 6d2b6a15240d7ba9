// The shell: branding header, sign-in when there is no session, then the pages.
import { useCallback, useEffect, useState } from "react";
import type { MeView } from "../views";
import { api, branding, RequestError } from "./api";
import { AgentList } from "./agent-list";
import { AgentPage } from "./agent-page";
import { History } from "./history";
import { navigate, useRoute } from "./router";
import { RunPage } from "./run-page";
import { SignIn } from "./sign-in";

export function App() {
  const brand = branding();
  const route = useRoute();
  const [me, setMe] = useState<MeView | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    api.me().then(setMe, (e: unknown) => {
      if (e instanceof RequestError && e.status === 401) setMe(null);
      else setProblem(e instanceof Error ? e.message : String(e));
    });
  }, []);
  useEffect(load, [load]);

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setMe(null);
    navigate("/");
  };

  return (
    <>
      <header className="top">
        <a href="/" className="brand" onClick={(e) => (e.preventDefault(), navigate("/"))}>
          {brand.logo_url ? <img src={brand.logo_url} alt="" className="logo" /> : null}
          <span>{brand.product_name}</span>
        </a>
        {me ? (
          <nav aria-label="Main">
            <Link to="/" current={route.page === "agents" || route.page === "agent"}>Agents</Link>
            <Link to="/history" current={route.page === "history" || route.page === "run"}>My history</Link>
            <span className="who" title={me.email}>
              {me.name} · {me.tenant.name}
            </span>
            <button type="button" className="secondary" onClick={() => void signOut()}>
              Sign out
            </button>
          </nav>
        ) : null}
      </header>
      <main id="main">
        {problem ? (
          <p role="alert" className="error">
            {problem}
          </p>
        ) : me === undefined ? (
          <p aria-live="polite">Loading…</p>
        ) : me === null ? (
          <SignIn productName={brand.product_name} onSignedIn={setMe} />
        ) : route.page === "agent" ? (
          <AgentPage id={route.id} />
        ) : route.page === "history" ? (
          <History />
        ) : route.page === "run" ? (
          <RunPage id={route.id} />
        ) : (
          <AgentList />
        )}
      </main>
    </>
  );
}

function Link({ to, current, children }: { to: string; current: boolean; children: React.ReactNode }) {
  return (
    <a href={to} aria-current={current ? "page" : undefined} onClick={(e) => (e.preventDefault(), navigate(to))}>
      {children}
    </a>
  );
}
