/** The environment of each rank: tsmpi's own variables, plus the ones MPI-aware tools read. */
import { Env } from '@tsmpi/runtime/launch';

export interface RankPlace { rank: number; size: number; localRank: number; localSize: number; nodeRank: number }

export function rankEnv(p: RankPlace, job: Record<string, string>): Record<string, string> {
  return {
    ...job,
    [Env.RANK]: String(p.rank),
    [Env.SIZE]: String(p.size),
    [Env.LOCAL_RANK]: String(p.localRank),
    [Env.LOCAL_SIZE]: String(p.localSize),
    OMPI_COMM_WORLD_RANK: String(p.rank),
    OMPI_COMM_WORLD_SIZE: String(p.size),
    OMPI_COMM_WORLD_LOCAL_RANK: String(p.localRank),
    OMPI_COMM_WORLD_LOCAL_SIZE: String(p.localSize),
    OMPI_COMM_WORLD_NODE_RANK: String(p.nodeRank),
    OMPI_UNIVERSE_SIZE: String(p.size),
    PMI_RANK: String(p.rank),
    PMI_SIZE: String(p.size),
    MPI_LOCALRANKID: String(p.localRank),
    MPI_LOCALNRANKS: String(p.localSize),
  };
}
