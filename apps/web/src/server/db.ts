import "server-only";
import { controlDb } from "@kayos/db/control";
import { env } from "./env";

export const db = () => controlDb(env().DATABASE_URL);
