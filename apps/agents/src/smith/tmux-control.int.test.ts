// The long-lived tmux control client that carries keystrokes into tmux-kept sessions and the pane
// poll: answers in order, tmux's own error for a bad command, and a fresh client after the old one dies.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tmux } from "./services/tmux";
import { TmuxControl } from "./services/tmux-control";
import { waitFor } from "./test-harness";

let dir: string;
let socket: string;
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
const tmux = (...args: string[]) => execFileSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], { encoding: "utf8", env });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "smith-tmux-control-"));
  socket = path.join(dir, "tmux.sock");
  tmux("new-session", "-d", "-s", "typing", "-x", "80", "-y", "10", "cat");
});
afterAll(() => {
  try {
    tmux("kill-server");
  } catch {
    // already gone
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const screen = () => tmux("capture-pane", "-p", "-t", "typing");

describe("tmux control client", () => {
  it("types keystrokes in order through one client, and reports tmux's error for a missing pane", async () => {
    const control = new TmuxControl("tmux", socket, env);
    try {
      const word = Buffer.from("ordered-keys");
      await Promise.all([...word].map((b) => control.command(`send-keys -t typing -H ${b.toString(16)}`)));
      await waitFor(() => screen().includes("ordered-keys"), 5000, "keystrokes on screen");
      await expect(control.command("send-keys -t nowhere -H 61")).rejects.toThrow(/can't find/);
      // One client for all of them: tmux lists it once.
      expect(tmux("list-clients", "-F", "#{client_control_mode}").trim().split("\n")).toEqual(["1"]);
    } finally {
      control.close();
    }
  });

  it("starts a new client when the old one has died, so typing goes on", async () => {
    const typing = new Tmux("tmux", socket, env);
    try {
      await typing.sendKeys("typing", Buffer.from("first\r"));
      tmux("kill-session", "-t", "smith-control");
      await waitFor(() => !tmux("list-clients").trim(), 5000, "control client gone");
      await typing.sendKeys("typing", Buffer.from("second\r"));
      await waitFor(() => screen().includes("second"), 5000, "keystrokes after the restart");
      await expect(typing.sendKeys("nowhere", Buffer.from("x"))).rejects.toThrow(/can't find/);
    } finally {
      typing.close();
    }
  });

  it("answers the pane poll with what a tmux process reports, without starting one per poll", async () => {
    // A tmux that counts how often it is started.
    const calls = path.join(dir, "calls");
    const counting = path.join(dir, "tmux-counting");
    fs.writeFileSync(counting, `#!/bin/sh\necho x >> '${calls}'\nexec tmux "$@"\n`, { mode: 0o755 });
    const started = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").split("\n").filter(Boolean).length : 0);
    const polling = new Tmux(counting, socket, env);
    try {
      const viaControl = await polling.panes({ control: true });
      expect(viaControl.find((p) => p.session === "typing")).toMatchObject({ dead: false, status: null });
      expect(viaControl).toEqual(await polling.panes());
      const before = started();
      for (let i = 0; i < 20; i++) await polling.panes({ control: true });
      expect(started()).toBe(before);
    } finally {
      polling.close();
    }
  });

  it("gives up on a tmux that stops answering and starts a fresh client for the next command", async () => {
    // The first client hangs without a word; later ones are the real tmux.
    const hung = path.join(dir, "hung-once");
    const flaky = path.join(dir, "tmux-flaky");
    fs.writeFileSync(flaky, `#!/bin/sh\nif [ ! -e '${hung}' ]; then touch '${hung}'; exec sleep 60; fi\nexec tmux "$@"\n`, { mode: 0o755 });
    const control = new TmuxControl(flaky, socket, env, 300);
    try {
      await expect(control.command("send-keys -t typing -H 61")).rejects.toThrow(/did not answer within 300 ms/);
      await control.command("send-keys -t typing -H 7a 7a 7a");
      await waitFor(() => screen().includes("zzz"), 5000, "keystrokes through the fresh client");
    } finally {
      control.close();
    }
  });
});
