import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, csrf } from '../api/client.ts';
import { ApiError } from '../api/problem.ts';

/** GET /v1/me: who the session acts as. */
export interface Me {
  readonly partyId: string;
  /** The party's role (supplier, network_operator, ...): which areas serve it (pages/party-roles.ts). */
  readonly partyRole: string;
  readonly kind: 'user' | 'api_key' | 'cli';
  readonly id: string;
  readonly person: string;
  readonly roles: string[];
  readonly permissions: string[];
}

/** The signed-in person, or null when there is no session (401). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api<Me>('/v1/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export async function signIn(username: string, password: string): Promise<void> {
  const s = await api<{ csrfToken: string }>('/v1/sessions', { method: 'POST', body: { username, password } });
  csrf.set(s.csrfToken);
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    try {
      await api('/v1/sessions/current', { method: 'DELETE' });
    } finally {
      csrf.set(null);
      // Nothing of the last person stays cached; the app shows the sign-in page.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      qc.setQueryData(['me'], null);
    }
  };
}

export const can = (me: Me | null | undefined, permission: string): boolean => !!me?.permissions.includes(permission);
