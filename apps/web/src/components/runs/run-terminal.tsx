"use client";

import "@xterm/xterm/css/xterm.css";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { TerminalSocket } from "./terminal-socket";

type State = "connecting" | "live" | "reconnecting" | "ended" | "failed";
const MAX_BACKOFF_MS = 5_000;

/**
 * The session's live terminal (xterm.js) over Smith's WebSocket, opened with a token minted per
 * connection. A dropped connection reconnects from the last byte received: no loss, no repeats.
 */
export function RunTerminal({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const open = useMutation(trpc.terminal.open.mutationOptions());
  const mint = useRef(open.mutateAsync);
  mint.current = open.mutateAsync;
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>("connecting");
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let disposed = false;
    let socket: TerminalSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let backoff = 250;
    let cleanup = () => {};

    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !host.current) return;
      const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 13, scrollback: 10_000 });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host.current);
      fit.fit();
      const sendSize = () => socket?.send({ type: "resize", cols: term.cols, rows: term.rows });
      const input = term.onData((data) => socket?.send({ type: "input", data }));
      const resize = () => {
        fit.fit();
        sendSize();
      };
      window.addEventListener("resize", resize);
      cleanup = () => {
        input.dispose();
        window.removeEventListener("resize", resize);
        term.dispose();
      };

      const connect = async (offset: number) => {
        let url: string;
        try {
          url = (await mint.current({ runId })).url;
        } catch (error) {
          setState("failed");
          setProblem(`${(error as Error).message}. Reload the page to try again.`);
          return;
        }
        if (disposed) return;
        let ended = false;
        socket = new TerminalSocket(url, offset, {
          onOutput: (bytes) => term.write(bytes),
          onMessage: (message) => {
            if (message.type === "hello") {
              backoff = 250;
              setState("live");
              setProblem(null);
              sendSize();
            } else if (message.type === "exit") {
              ended = true;
              setState("ended");
            } else if (message.type === "error") setProblem(message.message);
          },
          onClose: (code, reason) => {
            if (disposed || ended) return;
            if (code === 1000) return setState("ended");
            setState("reconnecting");
            if (reason) setProblem(reason);
            const at = socket?.offset ?? offset;
            retry = setTimeout(() => void connect(at), backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          },
        });
      };
      await connect(0);
      term.focus();
    })();

    return () => {
      disposed = true;
      clearTimeout(retry);
      socket?.close();
      cleanup();
    };
  }, [runId]);

  const label = { connecting: "connecting…", live: "live — type here", reconnecting: "reconnecting…", ended: "session ended", failed: "not connected" }[state];
  return (
    <section className="card" aria-labelledby="terminal-title">
      <div className="section-head">
        <h2 id="terminal-title">Terminal</h2>
        <span className="muted" aria-live="polite" data-testid="terminal-state">
          {label}
        </span>
      </div>
      {problem && (
        <div className="alert error" role="alert">
          {problem}
        </div>
      )}
      <div ref={host} className="xterm-host" data-testid="terminal" role="application" aria-label="Terminal of this session" />
    </section>
  );
}
