import { z } from "zod";

/** The data of a BullMQ run job. The run row in PostgreSQL is the truth; this only points at it. */
export const runJobDataSchema = z.strictObject({
  runId: z.uuid(),
  schedule: z.string().min(1),
  task: z.string().min(1),
  scheduledAt: z.iso.datetime({ offset: true }),
});
export type RunJobData = z.infer<typeof runJobDataSchema>;
