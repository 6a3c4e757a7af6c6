import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type RequestOptions } from '../api/client.ts';

/**
 * A paginated list of the API (`{ <items>: [...], next }`), filtered by `query`: pages load on
 * demand with the cursor the server gave (the server's page limits hold; the web adds none).
 */
export function usePagedList<T>(path: string, key: string, query: RequestOptions['query'] = {}, limit = 25) {
  const q = useInfiniteQuery({
    queryKey: [path, query, limit],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Record<string, unknown>>(path, { query: { ...query, limit, ...(pageParam ? { cursor: pageParam } : {}) } }),
    getNextPageParam: (last) => (last.next as string | null) ?? null,
  });
  const items = (q.data?.pages ?? []).flatMap((p) => (p[key] as T[] | undefined) ?? []);
  return { ...q, items };
}
