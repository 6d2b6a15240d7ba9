import { createTRPCRouter } from "../../trpc";
import { current } from "./current";
import { members } from "./members";
import { mine } from "./mine";

export const orgRouter = createTRPCRouter({ current, mine, members });
