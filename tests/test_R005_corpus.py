"""R005 over every Prisma project of the corpus that keeps migrations beside its schema.

Each project's exact list of differences is pinned (path, line, column, and the message up to
its closing explanation) with why it is there. Every one was checked against the migrations:
all are real drift (the projects change their databases by hand, or the schema is older than
the migrations), none is dbvet misreading either side. Objects only made inside DO blocks are
not reported (the replay cannot see into them; see linter.drift.Migrated), which is what keeps
formbricks' guarded migrations and trigger.dev's `IF NOT EXISTS` DO blocks out of this list.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import corpus_path

from linter.config import config_from_mapping
from linter.run import check
from rules import all_rules

EXPECTED = {
    # Documenso and epic-stack (SQLite): the schema is exactly what the migrations build.
    "documenso__documenso": [],
    "epicweb-dev__epic-stack": [],
    "formbricks__formbricks": [
        # A temporary column kept for a rollback; the migration says it is "intentionally NOT in
        # schema.prisma" until a follow-up drops it. Real drift, on purpose.
        (
            "packages/database/migration/20260620000000_eng_1054_emailverified_boolean_account_type_nullable/migration.sql",
            15,
            40,
            'column "User"."email_verified_at" is created by migration 20260620000000 but not described in the Prisma schema (model "User" has no field for it)',
        ),
        # A hand-written rename (20260528120000) named these keys after the fields; Prisma names
        # them after the mapped columns (`feedback_source_id`), so `migrate dev` would rename them.
        (
            "packages/database/schema/main.prisma",
            1540,
            35,
            'relation field "feedbackSource" of model "FeedbackSourceFormbricksMapping" is named "FeedbackSourceFormbricksMapping_feedback_source_id_workspa_fkey" in the Prisma schema but named "FeedbackSourceFormbricksMapping_feedbackSourceId_workspaceId_fk" after the migrations (last changed by migration 20260528120000)',
        ),
        (
            "packages/database/schema/main.prisma",
            1547,
            3,
            '@@unique([workspaceId, feedbackSourceId, surveyId, elementId]) of model "FeedbackSourceFormbricksMapping" is named "FeedbackSourceFormbricksMapping_workspaceId_feedback_source_key" in the Prisma schema but named "FeedbackSourceFormbricksMapping_workspaceId_feedbackSourceId_su" after the migrations (last changed by migration 20260528120000)',
        ),
        (
            "packages/database/schema/main.prisma",
            1565,
            35,
            'relation field "feedbackSource" of model "FeedbackSourceFieldMapping" is named "FeedbackSourceFieldMapping_feedback_source_id_workspaceId_fkey" in the Prisma schema but named "FeedbackSourceFieldMapping_feedbackSourceId_workspaceId_fkey" after the migrations (last changed by migration 20260528120000)',
        ),
        (
            "packages/database/schema/main.prisma",
            1570,
            3,
            '@@unique([workspaceId, feedbackSourceId, sourceFieldId, targetFieldId]) of model "FeedbackSourceFieldMapping" is named "FeedbackSourceFieldMapping_workspaceId_feedback_source_id_s_key" in the Prisma schema but named "FeedbackSourceFieldMapping_workspaceId_feedbackSourceId_sourceF" after the migrations (last changed by migration 20260528120000)',
        ),
    ],
    # langfuse: in step (its NOT NULL text[] columns are Prisma lists, and `'{}'` is `[]`).
    "langfuse__langfuse": [],
    "triggerdotdev__trigger.dev": [
        # 20260413000000 wrote a 64-character index name that PostgreSQL cut to 63; Prisma cuts
        # the column part before adding `_idx`, so the two names differ.
        (
            "internal-packages/database/prisma/schema.prisma",
            765,
            3,
            '@@index([runtimeEnvironmentId, slug, triggerSource]) of model "BackgroundWorkerTask" is named "BackgroundWorkerTask_runtimeEnvironmentId_slug_triggerSourc_idx" in schema.prisma but named "BackgroundWorkerTask_runtimeEnvironmentId_slug_triggerSource_id" after the migrations (last changed by migration 20260413000000)',
        ),
        # trigger.dev drops foreign keys by hand (20260401000000_drop_taskrun_foreign_keys,
        # 20260629120000_drop_run_ops_control_plane_foreign_keys, 20260705*, 20260710120000 …)
        # while the schema keeps the relations: `migrate dev` would add every one back.
        (
            "internal-packages/database/prisma/schema.prisma",
            884,
            18,
            'relation field "run" of model "PlaygroundConversation" is in schema.prisma but no migration creates foreign key "PlaygroundConversation_runId_fkey" of "PlaygroundConversation"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1044,
            43,
            'relation field "runtimeEnvironment" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_runtimeEnvironmentId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1049,
            21,
            'relation field "project" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_projectId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1098,
            36,
            'relation field "lockedBy" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_lockedById_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1101,
            39,
            'relation field "lockedToVersion" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_lockedToVersionId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1127,
            3,
            'foreign key "_WaitpointRunConnections_B_fkey" of the implicit many-to-many table of field "connectedWaitpoints" of model "TaskRun" is in schema.prisma but no migration creates foreign key "_WaitpointRunConnections_B_fkey" of "_WaitpointRunConnections"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1152,
            26,
            'relation field "rootTaskRun" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_rootTaskRunId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1159,
            28,
            'relation field "parentTaskRun" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_parentTaskRunId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1166,
            42,
            'relation field "parentTaskRunAttempt" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_parentTaskRunAttemptId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1170,
            25,
            'relation field "batch" of model "TaskRun" is in schema.prisma but no migration creates foreign key "TaskRun_batchId_fkey" of "TaskRun"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1374,
            3,
            'foreign key "_completedWaitpoints_B_fkey" of the implicit many-to-many table of field "completedWaitpoints" of model "TaskRunExecutionSnapshot" is in schema.prisma but no migration creates foreign key "_completedWaitpoints_B_fkey" of "_completedWaitpoints"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1433,
            21,
            'relation field "project" of model "TaskRunCheckpoint" is in schema.prisma but no migration creates foreign key "TaskRunCheckpoint_projectId_fkey" of "TaskRunCheckpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1436,
            43,
            'relation field "runtimeEnvironment" of model "TaskRunCheckpoint" is in schema.prisma but no migration creates foreign key "TaskRunCheckpoint_runtimeEnvironmentId_fkey" of "TaskRunCheckpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1502,
            21,
            'relation field "project" of model "Waitpoint" is in schema.prisma but no migration creates foreign key "Waitpoint_projectId_fkey" of "Waitpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1505,
            36,
            'relation field "environment" of model "Waitpoint" is in schema.prisma but no migration creates foreign key "Waitpoint_environmentId_fkey" of "Waitpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1546,
            25,
            'relation field "waitpoint" of model "TaskRunWaitpoint" is in schema.prisma but no migration creates foreign key "TaskRunWaitpoint_waitpointId_fkey" of "TaskRunWaitpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1549,
            21,
            'relation field "project" of model "TaskRunWaitpoint" is in schema.prisma but no migration creates foreign key "TaskRunWaitpoint_projectId_fkey" of "TaskRunWaitpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1576,
            36,
            'relation field "environment" of model "WaitpointTag" is in schema.prisma but no migration creates foreign key "WaitpointTag_environmentId_fkey" of "WaitpointTag"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1579,
            21,
            'relation field "project" of model "WaitpointTag" is in schema.prisma but no migration creates foreign key "WaitpointTag_projectId_fkey" of "WaitpointTag"',
        ),
        # The migration gives `@updatedAt` columns DEFAULT CURRENT_TIMESTAMP (to fill existing rows);
        # the schema has no @default, so Prisma would drop the default.
        (
            "internal-packages/database/prisma/schema.prisma",
            1594,
            3,
            'field "updatedAt" of model "FeatureFlag" has no default in schema.prisma but DEFAULT CURRENT_TIMESTAMP after the migrations (last changed by migration 20260113182122)',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1707,
            21,
            'relation field "project" of model "TaskRunTag" is in schema.prisma but no migration creates foreign key "TaskRunTag_projectId_fkey" of "TaskRunTag"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1773,
            39,
            'relation field "backgroundWorker" of model "TaskRunAttempt" is in schema.prisma but no migration creates foreign key "TaskRunAttempt_backgroundWorkerId_fkey" of "TaskRunAttempt"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1776,
            47,
            'relation field "backgroundWorkerTask" of model "TaskRunAttempt" is in schema.prisma but no migration creates foreign key "TaskRunAttempt_backgroundWorkerTaskId_fkey" of "TaskRunAttempt"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1779,
            43,
            'relation field "runtimeEnvironment" of model "TaskRunAttempt" is in schema.prisma but no migration creates foreign key "TaskRunAttempt_runtimeEnvironmentId_fkey" of "TaskRunAttempt"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            1782,
            21,
            'relation field "queue" of model "TaskRunAttempt" is in schema.prisma but no migration creates foreign key "TaskRunAttempt_queueId_fkey" of "TaskRunAttempt"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            2197,
            21,
            'relation field "project" of model "Checkpoint" is in schema.prisma but no migration creates foreign key "Checkpoint_projectId_fkey" of "Checkpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            2200,
            43,
            'relation field "runtimeEnvironment" of model "Checkpoint" is in schema.prisma but no migration creates foreign key "Checkpoint_runtimeEnvironmentId_fkey" of "Checkpoint"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            2231,
            21,
            'relation field "project" of model "CheckpointRestoreEvent" is in schema.prisma but no migration creates foreign key "CheckpointRestoreEvent_projectId_fkey" of "CheckpointRestoreEvent"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            2234,
            43,
            'relation field "runtimeEnvironment" of model "CheckpointRestoreEvent" is in schema.prisma but no migration creates foreign key "CheckpointRestoreEvent_runtimeEnvironmentId_fkey" of "CheckpointRestoreEvent"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            2717,
            23,
            'relation field "sourceRun" of model "BulkActionItem" is in schema.prisma but no migration creates foreign key "BulkActionItem_sourceRunId_fkey" of "BulkActionItem"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            2721,
            29,
            'relation field "destinationRun" of model "BulkActionItem" is in schema.prisma but no migration creates foreign key "BulkActionItem_destinationRunId_fkey" of "BulkActionItem"',
        ),
        (
            "internal-packages/database/prisma/schema.prisma",
            3025,
            3,
            'field "updatedAt" of model "IntegrationDeployment" has no default in schema.prisma but DEFAULT CURRENT_TIMESTAMP after the migrations (last changed by migration 20260129162810)',
        ),
    ],
    "umami-software__umami": [
        # MySQL: db/mysql/schema.prisma is from the time of migration 10 (MANIFEST.md), older than
        # migrations 11-13, which add `segment`, change report.parameters to json and add `revenue`.
        (
            "db/mysql/migrations/11_add_segment/migration.sql",
            2,
            1,
            'table "segment" is created by migration 11 but not described in schema.prisma (no model maps to it)',
        ),
        (
            "db/mysql/migrations/13_add_revenue/migration.sql",
            2,
            1,
            'table "revenue" is created by migration 13 but not described in schema.prisma (no model maps to it)',
        ),
        (
            "db/mysql/schema.prisma",
            225,
            3,
            'field "parameters" of model "Report" is String @db.VarChar(6000) (varchar(6000)) in schema.prisma but json after the migrations (last changed by migration 12)',
        ),
        ("db/postgresql/data-migrations/convert-utm-clid-columns.sql", 37, 8, 'syntax error at or near "`"'),
        ("db/postgresql/data-migrations/populate-revenue-table.sql", 25, 13, 'syntax error at or near "`"'),
        # PostgreSQL: migration 19 creates session_replay without the @@index([visitId]) the schema has.
        (
            "prisma/schema.prisma",
            378,
            3,
            '@@index([visitId]) of model "SessionReplay" is in schema.prisma but no migration creates index "session_replay_visit_id_idx" on "session_replay" (visit_id)',
        ),
    ],
}


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_r005_over_the_corpus(project):
    root = corpus_path(project)
    rules = all_rules()
    config = config_from_mapping({"select": ["R005"]}, rules, root)
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = check([Path(".")], config, rules, root)
    finally:
        os.chdir(previous)
    found = [(f.path, f.line, f.column, f.message.rsplit(": ", 1)[0]) for f in result.findings]
    assert found == EXPECTED[project]
