export type { DeviceAnswer, DeviceGateway, DeviceSession } from './device-gateway.ts';
export type { BenchSession, TriageBench } from './triage-bench.ts';
export type { KeySource, PlatformKeys } from './key-source.ts';
export type { EnqueueOptions, JobError, JobHandler, JobKind, JobProgress, JobQueue, JobRun, JobRuntime, JobState, JobStatus } from './job-queue.ts';
