import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';

/** The colours of a state, at shade 9 in outline so small badge text keeps WCAG AA contrast on white. */
const COLOURS = { bad: 'red.9', warn: '#a33b00', good: 'teal.9', busy: 'blue.9', none: 'gray.7' } as const;
export type Tone = keyof typeof COLOURS;

export function StateBadge({ tone, children, label, testId }: { tone: Tone; children: ReactNode; label?: string; testId?: string }) {
  return (
    <Badge color={COLOURS[tone]} variant="outline" {...(label ? { 'aria-label': label } : {})} {...(testId ? { 'data-testid': testId } : {})}>
      {children}
    </Badge>
  );
}

/** How a work order's or command's state reads. */
export const toneOfState = (s: string): Tone =>
  s === 'completed' || s === 'executed' || s === 'verified'
    ? 'good'
    : s === 'expired' || s === 'refused' || s === 'rejected'
      ? 'bad'
      : s === 'pulled' || s === 'delivered'
        ? 'busy'
        : 'none';

/** How a SECMP0032 clock reads. */
export const toneOfClock = (s: string): Tone => (s === 'overdue' ? 'bad' : s.startsWith('due') ? 'warn' : 'none');
