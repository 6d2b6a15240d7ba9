"use client";

import "@xterm/xterm/css/xterm.css";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { TerminalRelay } from "./terminal-relay";
import { TerminalSocket, type TerminalHandlers, type TerminalTransport } from "./terminal-socket";

type State = "connecting" | "live" | "reconnecting" | "ended" | "failed";
type Route = "direct" | "relay";
const MAX_BACKOFF_MS = 5_000;

/**
 * The session's live terminal (xterm.js) over Smith's WebSocket, opened with a token minted per
 * connection. When this browser cannot reach Smith (the WebSocket closes before Smith's hello),
 * the terminal goes through the web server instead. A dropped connection reconnects from the last
 * byte received: no loss, no repeats.
 */
export function RunTerminal({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const open = useMutation(trpc.terminal.open.mutationOptions());
  const input = useMutation(trpc.terminal.input.mutationOptions());
  const resizeCall = useMutation(trpc.terminal.resize.mutationOptions());
  const calls = useRef({ mint: open.mutateAsync, input: input.mutateAsync, resize: resizeCall.mutateAsync });
  calls.current = { mint: open.mutateAsync, input: input.mutateAsync, resize: resizeCall.mutateAsync };
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>("connecting");
  const [route, setRoute] = useState<Route>("direct");
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let disposed = false;
    let relay = false;
    let socket: TerminalTransport | undefined;
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
      const typing = term.onData((data) => socket?.send({ type: "input", data }));
      const resize = () => {
        fit.fit();
        sendSize();
      };
      window.addEventListener("resize", resize);
      cleanup = () => {
        typing.dispose();
        window.removeEventListener("resize", resize);
        term.dispose();
      };

      const connect = async (offset: number) => {
        let ended = false;
        let greeted = false;
        const handlers: TerminalHandlers = {
          onOutput: (data) => term.write(data),
          onMessage: (message) => {
            if (message.type === "hello") {
              greeted = true;
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
            const at = socket?.offset ?? offset;
            if (!greeted && !relay) {
              // Smith's port is not reachable from here: go through the web server from now on.
              relay = true;
              setRoute("relay");
              return void connect(at);
            }
            setState("reconnecting");
            if (reason) setProblem(reason);
            retry = setTimeout(() => void connect(at), backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          },
        };
        if (relay) {
          socket = new TerminalRelay(runId, offset, handlers, {
            input: (data) => calls.current.input({ runId, data }),
            resize: (cols, rows) => calls.current.resize({ runId, cols, rows }),
          });
          return;
        }
        let url: string;
        try {
          url = (await calls.current.mint({ runId })).url;
        } catch (error) {
          setState("failed");
          setProblem(`${(error as Error).message}. Reload the page to try again.`);
          return;
        }
        if (disposed) return;
        socket = new TerminalSocket(url, offset, handlers);
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
    <section className="card" aria-labelledby="terminal-title" data-route={route}>
      <div className="section-head">
        <h2 id="terminal-title">Terminal</h2>
        <span className="muted" aria-live="polite" data-testid="terminal-state">
          {label}
        </span>
      </div>
      {route === "relay" && (
        <p className="muted" data-testid="terminal-route">
          Through the web server: this browser cannot reach the agent host&apos;s terminal port, so typing takes a little longer.
        </p>
      )}
      {problem && (
        <div className="alert error" role="alert">
          {problem}
        </div>
      )}
      <div ref={host} className="xterm-host" data-testid="terminal" role="application" aria-label="Terminal of this session" />
    </section>
  );
}
