import {
  AppError,
  BACKFILL_CAP,
  BACKFILL_COUNT_LIMIT,
  dispatchRuns,
  findScheduledRuns,
  getSchedule,
  labelExclusion,
  listBackfillInstants,
  loadExclusions,
  publishRunUpdates,
  reopenMissedRuns,
  toTiming,
  type BackfillInstant,
  type Database,
  type RunRow,
  type Schedule,
} from "@hotbeat/shared";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { instantParamSchema } from "../contracts/instantParam.js";
import { errorBodySchema, errorResponses } from "../contracts/responses.js";
import { RUN_STATUSES } from "../contracts/runJson.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

/** How long a backfill waits for Redis to take its jobs before answering; the sweeper does the rest. */
const ENQUEUE_TIMEOUT_MS = 5000;
/** Run ids per live-feed message. */
const ANNOUNCE_CHUNK = 500;

const OUTCOMES = ["created", "reopened", "existing", "excluded"] as const;
type Outcome = (typeof OUTCOMES)[number];

const backfillAnswerSchema = z
  .object({
    schedule: z.string(),
    from: z.string(),
    to: z.string(),
    dryRun: z.boolean(),
    cap: z.number().int(),
    count: z.number().int().describe("instants of the schedule in [from, to], excluded ones included"),
    created: z.number().int().describe("new runs (with dryRun: that would be created)"),
    reopened: z.number().int().describe("instants recorded missed that now run"),
    existing: z.number().int().describe("instants that already have a run, left as they are"),
    excluded: z.number().int().describe("instants on an excluded date: listed, never run"),
    instants: z.array(
      z.object({
        at: z.string(),
        outcome: z.enum(OUTCOMES),
        runId: z.string().optional(),
        status: z
          .enum(RUN_STATUSES)
          .optional()
          .describe("the run's status, for created, reopened and existing"),
        excluded: z.string().optional().describe('the date ("2027-01-01") or "calendar NAME"'),
      }),
    ),
  })
  .meta({ id: "Backfill" });
type BackfillAnswer = z.infer<typeof backfillAnswerSchema>;
type InstantAnswer = BackfillAnswer["instants"][number];

const invalid = (field: string, message: string) =>
  new AppError("invalid", `${field}: ${message}`, [{ field, message }]);

/** The instants of [from, to] that may run; throws naming `to` past the cap. */
function readRange(
  schedule: Schedule,
  matchers: Parameters<typeof listBackfillInstants>[1],
  from: Date,
  to: Date,
) {
  const range = listBackfillInstants(toTiming(schedule), matchers, from, to);
  if (!range.isOverCap) return range.instants;
  const count = range.isCountCapped ? `more than ${BACKFILL_COUNT_LIMIT}` : String(range.count);
  throw invalid(
    "to",
    `the range holds ${count} instants of ${schedule.name}, more than the cap of ${BACKFILL_CAP}: backfill it in parts`,
  );
}

/** Records, reopens and enqueues the runs of the instants; returns each instant's outcome. */
async function runInstants(
  db: Database,
  queue: RouteContext["deps"]["queue"],
  schedule: Schedule,
  runnable: Date[],
  log: FastifyBaseLogger,
): Promise<Map<number, { outcome: Outcome; run: RunRow }>> {
  // With Redis away the recorded runs are answered as they are; the scheduler's sweeper enqueues them.
  const deps = {
    db,
    queue,
    enqueueBound: {
      timeoutMs: ENQUEUE_TIMEOUT_MS,
      onLateError: (error: unknown) => log.debug({ err: error }, "late backfill enqueue failed"),
    },
  };
  const first = await dispatchRuns(
    deps,
    runnable.map((at) => ({
      schedule,
      scheduledAt: at,
      kind: "schedule" as const,
      status: "queued" as const,
    })),
  );
  const missedIds = first.recorded.filter((r) => !r.isNew && r.run.status === "missed").map((r) => r.run.id);
  const reopened = await reopenMissedRuns(db, schedule, missedIds);
  const second = reopened.length > 0 ? await dispatchRuns(deps, reopened) : undefined;
  const enqueueError = first.enqueueError ?? second?.enqueueError;
  if (enqueueError !== undefined)
    log.warn({ err: enqueueError, schedule: schedule.name }, "backfill not all enqueued; the sweeper will");
  const reopenedById = new Map(reopened.map((run) => [run.id, run]));
  const outcomes = new Map<number, { outcome: Outcome; run: RunRow }>();
  for (const { run, isNew } of first.recorded) {
    const reopenedRun = reopenedById.get(run.id);
    const outcome: Outcome = isNew ? "created" : reopenedRun ? "reopened" : "existing";
    outcomes.set(run.scheduledAt.getTime(), { outcome, run: reopenedRun ?? run });
  }
  return outcomes;
}

/** What a dry run would do: the same outcomes, read from the ledger without writing. */
async function previewInstants(db: Database, schedule: Schedule, runnable: Date[]) {
  const existing = await findScheduledRuns(db, schedule.name, runnable);
  const outcomes = new Map<number, { outcome: Outcome; run?: RunRow }>();
  for (const at of runnable) {
    const run = existing.get(at.getTime());
    const outcome: Outcome = !run ? "created" : run.status === "missed" ? "reopened" : "existing";
    outcomes.set(at.getTime(), { outcome, ...(run ? { run } : {}) });
  }
  return outcomes;
}

function toInstantAnswer(
  instant: BackfillInstant,
  result: { outcome: Outcome; run?: RunRow } | undefined,
): InstantAnswer {
  const at = instant.at.toISOString();
  if (instant.exclusion) return { at, outcome: "excluded", excluded: labelExclusion(instant.exclusion) };
  const { outcome = "existing", run } = result ?? {};
  return { at, outcome, ...(run ? { runId: run.id, status: run.status } : {}) };
}

/** `POST /api/v1/schedules/:name/backfill`: a run for every past instant of a range. */
export const backfillRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { db } = ctx.deps.database;

  app.post(
    "/api/v1/schedules/:name/backfill",
    {
      schema: {
        tags: ["runs"],
        summary: "Run every instant of the schedule in [from, to], once",
        description: `Both ends are inclusive: an instant at \`from\` or at \`to\` runs. At most ${BACKFILL_CAP} instants (400 beyond, naming the count). Excluded instants are listed and never run. Idempotent by the ledger's unique (schedule, instant) key: an instant that already has a run is \`existing\` and left alone, except a \`missed\` one, which is \`reopened\` and runs now. \`to\` must not be after now: the instants to come fire on their own. With \`dryRun\`, nothing is written and the answer lists what would happen.`,
        params: nameParamsSchema,
        querystring: z.strictObject({}),
        body: z.strictObject({
          from: instantParamSchema.describe("the first instant of the range (inclusive)"),
          to: instantParamSchema.describe("the last instant of the range (inclusive), not after now"),
          dryRun: z.boolean({ message: "must be true or false" }).optional(),
        }),
        response: { 200: backfillAnswerSchema, ...errorResponses, 404: errorBodySchema },
      },
    },
    async (request): Promise<BackfillAnswer> => {
      const from = new Date(request.body.from);
      const to = new Date(request.body.to);
      const now = ctx.now();
      if (to < from) throw invalid("to", `must not be before from (${from.toISOString()})`);
      if (to > now)
        throw invalid(
          "to",
          `must not be after now (${now.toISOString()}): the instants to come fire on their own`,
        );
      const schedule = await getSchedule(db, request.params.name);
      const { matchers } = await loadExclusions(db, schedule);
      const instants = readRange(schedule, matchers, from, to);
      const runnable = instants.filter((i) => i.exclusion === null).map((i) => i.at);
      const dryRun = request.body.dryRun === true;
      const results = dryRun
        ? await previewInstants(db, schedule, runnable)
        : await runInstants(db, ctx.deps.queue, schedule, runnable, request.log);
      const answers = instants.map((i) => toInstantAnswer(i, results.get(i.at.getTime())));
      const tally = (outcome: Outcome) => answers.filter((a) => a.outcome === outcome).length;
      if (!dryRun) {
        const ids = answers.filter((a) => a.outcome !== "existing" && a.runId).map((a) => a.runId!);
        for (let i = 0; i < ids.length; i += ANNOUNCE_CHUNK) {
          void publishRunUpdates(
            ctx.deps.redis,
            ctx.deps.config.redisNamespace,
            ids.slice(i, i + ANNOUNCE_CHUNK),
          ).catch((error: unknown) => request.log.debug({ err: error }, "run updates not published"));
        }
        request.log.info(
          { schedule: schedule.name, from, to, created: tally("created"), reopened: tally("reopened") },
          "backfill recorded",
        );
      }
      return {
        schedule: schedule.name,
        from: from.toISOString(),
        to: to.toISOString(),
        dryRun,
        cap: BACKFILL_CAP,
        count: instants.length,
        created: tally("created"),
        reopened: tally("reopened"),
        existing: tally("existing"),
        excluded: tally("excluded"),
        instants: answers,
      };
    },
  );
  done();
};
