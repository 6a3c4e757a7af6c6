import { type Problem } from './platform.ts';

/** A refusal in place: the server's (or the device's) status, code, reason and the field it names. */
export function ProblemBox({ problem, what }: { problem: Problem; what: string }) {
  return (
    <div className="problem" role="alert" data-testid="problem">
      <strong>
        {what}: {problem.status ? `${problem.status} ${problem.code}` : 'no network'}
      </strong>
      <div>{problem.detail}</div>
      {problem.field ? (
        <div>
          field <code>{problem.field}</code>
          {problem.rule ? ` (rule ${problem.rule})` : ''}
        </div>
      ) : null}
    </div>
  );
}
