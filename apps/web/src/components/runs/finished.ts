/** Whether a run (or a conversation's reply run) has ended: nothing about it changes any more. */
export const isFinished = (status: string) => status === "succeeded" || status === "failed" || status === "stopped";
