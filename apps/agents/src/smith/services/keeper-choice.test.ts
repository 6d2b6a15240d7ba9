import { describe, expect, it } from "vitest";
import { chooseKeeper } from "./keeper-choice";

const tmux = { available: true, version: "tmux 3.3a", path: "/usr/bin/tmux" };
const noTmux = { available: false, version: null, path: null };
const script = { available: true, version: "script from util-linux 2.38.1" };
const noScript = { available: false, version: null };

describe("keeper choice", () => {
  it("gives what SMITH_KEEPER asks for, saying whether sessions survive a restart", () => {
    expect(chooseKeeper("script", tmux, script)).toMatchObject({ mode: "script", reason: expect.stringContaining("util-linux 2.38.1") });
    expect(chooseKeeper("tmux", tmux, script)).toMatchObject({ mode: "tmux", reason: expect.stringContaining("survive a Smith restart") });
    expect(chooseKeeper("pty", tmux, script)).toMatchObject({ mode: "pty", reason: expect.stringContaining("end when Smith stops") });
  });

  it("refuses to start when the keeper asked for is not installed, saying how to get it", () => {
    expect(() => chooseKeeper("script", tmux, noScript)).toThrow(/apt-get install bsdutils/);
    expect(() => chooseKeeper("tmux", noTmux, script)).toThrow(/apt-get install tmux/);
  });

  it("auto: a keeper that survives restarts when one is installed, else node-pty with the reason", () => {
    expect(chooseKeeper("auto", tmux, script).mode).toBe("script");
    expect(chooseKeeper("auto", tmux, noScript).mode).toBe("tmux");
    expect(chooseKeeper("auto", noTmux, noScript)).toMatchObject({ mode: "pty", reason: expect.stringContaining("end when Smith stops") });
  });
});
