import { createTRPCRouter } from "../../trpc";
import { services } from "./services";

export const healthRouter = createTRPCRouter({ services });
