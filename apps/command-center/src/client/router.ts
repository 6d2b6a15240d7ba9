// A few pages, addressed by path: /, /agents/:id, /history, /runs/:id.
import { useEffect, useState } from "react";

export type Route = { page: "agents" } | { page: "agent"; id: string } | { page: "history" } | { page: "run"; id: string };

export function parseRoute(pathname: string): Route {
  const agent = /^\/agents\/([^/]+)$/.exec(pathname);
  if (agent) return { page: "agent", id: decodeURIComponent(agent[1]!) };
  const run = /^\/runs\/([^/]+)$/.exec(pathname);
  if (run) return { page: "run", id: decodeURIComponent(run[1]!) };
  if (pathname === "/history") return { page: "history" };
  return { page: "agents" };
}

export function navigate(to: string) {
  window.history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return route;
}
