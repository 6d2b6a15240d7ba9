import "server-only";
import { z } from "zod";

/** `POST /api/v1/auth/login`. */
export const loginBody = z.object({ email: z.email(), password: z.string().min(1, "is required") });

/** `POST /api/v1/coding_conversations/:id/messages`: the seed's Rails form `{message: {content}}` or `{content}`. */
export const conversationMessageBody = z.union([z.object({ content: z.string() }), z.object({ message: z.object({ content: z.string() }) })]);
