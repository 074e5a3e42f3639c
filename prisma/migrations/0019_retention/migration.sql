-- CreateIndex
CREATE INDEX "AiUsage_executionId_stepId_idx" ON "AiUsage"("executionId", "stepId");

-- Execution retention (workers/runtime/execution-prune.ts) hands a pruned run's files to a kept run that may hold
-- references to them: its re-runs (they copy its input and settled steps) and the runs its events started. These
-- look-ups need indexes; partial ones (written by hand: the schema cannot say WHERE) cost nothing for the rows
-- that are no re-run and no run-published event, which is nearly all of them, and leave the claim's and the
-- finish's HOT updates alone (neither column changes after the insert).
CREATE INDEX "Execution_retryOfId_idx" ON "Execution"("retryOfId") WHERE "retryOfId" IS NOT NULL;
CREATE INDEX "Event_sourceExecutionId_idx" ON "Event"("sourceExecutionId") WHERE "sourceExecutionId" IS NOT NULL;
