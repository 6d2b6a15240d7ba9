// Next.js calls register() once when a server starts: background work of the web app begins here.
export async function register() {
  // Not in the Edge runtime (no database driver there), and not while `next build` collects pages.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startBackgroundWork } = await import("./server/background");
  startBackgroundWork();
}
