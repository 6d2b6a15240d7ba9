// Which keeper runs this Smith's sessions (SMITH_KEEPER), and why, for the start-up log and /health.
import type { SmithKeeperMode } from "@kayos/contracts";
import type { SmithConfig } from "../env";
import type { ScriptInfo } from "./keeper-script";
import type { TmuxInfo } from "./tmux";

export interface KeeperChoice {
  mode: SmithKeeperMode;
  reason: string;
}

/** Throws when the keeper asked for is not installed (a clear start-up error, not sessions failing later). */
export function chooseKeeper(setting: SmithConfig["SMITH_KEEPER"], tmux: TmuxInfo, script: ScriptInfo): KeeperChoice {
  const viaScript: KeeperChoice = { mode: "script", reason: `sessions run under script(1) (${script.version}) and survive a Smith restart` };
  const viaTmux: KeeperChoice = { mode: "tmux", reason: `sessions run under tmux (${tmux.version}) and survive a Smith restart` };
  const hasTmux = tmux.available && tmux.path !== null;
  switch (setting) {
    case "pty":
      return { mode: "pty", reason: "SMITH_KEEPER=pty: sessions run on node-pty and end when Smith stops" };
    case "script":
      if (!script.available) throw new Error("SMITH_KEEPER=script but util-linux script(1) is not installed (apt-get install bsdutils), or set SMITH_KEEPER=auto");
      return viaScript;
    case "tmux":
      if (!hasTmux) throw new Error("SMITH_KEEPER=tmux but tmux is not installed (apt-get install tmux), or set SMITH_KEEPER=auto");
      return viaTmux;
    case "auto":
      // script first: it survives restarts as tmux does, without rendering every byte (2-3x the throughput).
      if (script.available) return viaScript;
      if (hasTmux) return viaTmux;
      return { mode: "pty", reason: "neither script(1) nor tmux is installed: sessions run on node-pty and end when Smith stops (apt-get install bsdutils to keep them across restarts)" };
  }
}
