import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostParseError } from '../../dist/hosts/host-spec.js';
import { parseHostList } from '../../dist/hosts/host-list.js';
import { parseHostfile, readHostfile } from '../../dist/hosts/hostfile.js';
import { expandNodeList, expandTasksPerNode, pbsHosts, slurmHosts } from '../../dist/hosts/resource-manager.js';
import { place } from '../../dist/hosts/placement.js';

const err = (f: () => unknown): string => {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(HostParseError); return (e as Error).message; }
  throw new Error('expected a HostParseError');
};

describe('--host lists', () => {
  it('reads host:N, bare hosts (1 slot), user@host, and adds up repeats', () => {
    expect(parseHostList('a:4,b,c:2')).toEqual([{ host: 'a', slots: 4 }, { host: 'b', slots: 1 }, { host: 'c', slots: 2 }]);
    expect(parseHostList('me@a:2, a:1 ,b')).toEqual([{ host: 'a', user: 'me', slots: 2 }, { host: 'a', slots: 1 }, { host: 'b', slots: 1 }]);
    expect(parseHostList('a,a,a:2')).toEqual([{ host: 'a', slots: 4 }]);
  });
  it('rejects malformed items with the item quoted', () => {
    expect(err(() => parseHostList('a:x'))).toMatch(/"a:x"/);
    expect(err(() => parseHostList('a:0'))).toMatch(/"a:0" has 0 slots/);
    expect(err(() => parseHostList(','))).toMatch(/no host/);
  });
});

describe('hostfiles', () => {
  it('reads Open MPI lines, Hydra lines, comments and blank lines', () => {
    const text = [
      '# cluster', '', 'node1 slots=4', 'node2 slots=2 max_slots=8   # big one', 'alice@node3', 'node4:3', '  ', 'node1 slots=1',
    ].join('\n');
    expect(parseHostfile(text)).toEqual([
      { host: 'node1', slots: 5, maxSlots: undefined },
      { host: 'node2', slots: 2, maxSlots: 8 },
      { host: 'node3', user: 'alice', slots: 1, maxSlots: undefined },
      { host: 'node4', slots: 3, maxSlots: undefined },
    ]);
  });
  it('names the file and line of malformed input', () => {
    expect(err(() => parseHostfile('ok slots=1\nbad slots=x\n', 'hf'))).toMatch(/^hf line 2 \("bad slots=x"\): cannot read "slots=x"/);
    expect(err(() => parseHostfile('a foo=3', 'hf'))).toMatch(/hf line 1 .*expected slots=N/);
    expect(err(() => parseHostfile('a slots=0', 'hf'))).toMatch(/line 1 .*at least 1/);
    expect(err(() => parseHostfile('a slots=4 max_slots=2', 'hf'))).toMatch(/max_slots=2 is below slots=4/);
    expect(err(() => parseHostfile('a$b', 'hf'))).toMatch(/not a host name/);
    expect(err(() => parseHostfile('# only comments\n\n', 'hf'))).toMatch(/no hosts/);
  });
  it('reports a missing file clearly', () => {
    expect(err(() => readHostfile('/nonexistent/hosts'))).toMatch(/cannot read hostfile \/nonexistent\/hosts/);
  });
});

describe('Slurm and PBS allocations', () => {
  it('expands compressed node lists, keeping zero padding', () => {
    expect(expandNodeList('node[01-04,07]')).toEqual(['node01', 'node02', 'node03', 'node04', 'node07']);
    expect(expandNodeList('a,b[1-2],c')).toEqual(['a', 'b1', 'b2', 'c']);
    expect(expandNodeList('rack[1-2]-n[08-09]')).toEqual(['rack1-n08', 'rack1-n09', 'rack2-n08', 'rack2-n09']);
    expect(expandNodeList('vm')).toEqual(['vm']);
  });
  it('expands tasks per node', () => {
    expect(expandTasksPerNode('2(x3),1')).toEqual([2, 2, 2, 1]);
    expect(expandTasksPerNode('4')).toEqual([4]);
  });
  it('rejects malformed lists naming the bad part', () => {
    expect(err(() => expandNodeList('node[01-04'))).toMatch(/unmatched \[/);
    expect(err(() => expandNodeList('node01-04]'))).toMatch(/unmatched \]/);
    expect(err(() => expandNodeList('node[a-b]'))).toMatch(/range "a-b"/);
    expect(err(() => expandNodeList('node[5-3]'))).toMatch(/runs backwards/);
    expect(err(() => expandTasksPerNode('2(x3,1'))).toMatch(/cannot read "2\(x3"/);
  });
  it('builds hosts from the environment', () => {
    expect(slurmHosts({ SLURM_JOB_NODELIST: 'n[1-3]', SLURM_TASKS_PER_NODE: '2(x2),1' })).toEqual([
      { host: 'n1', slots: 2 }, { host: 'n2', slots: 2 }, { host: 'n3', slots: 1 },
    ]);
    expect(slurmHosts({})).toBeUndefined();
    expect(err(() => slurmHosts({ SLURM_JOB_NODELIST: 'n[1-3]', SLURM_TASKS_PER_NODE: '2' }))).toMatch(/3 nodes .* 1 task counts/);
    const dir = mkdtempSync(join(tmpdir(), 'pbs-'));
    const f = join(dir, 'nodes');
    writeFileSync(f, 'n1\nn1\nn2\n\n');
    try {
      expect(pbsHosts({ PBS_NODEFILE: f })).toEqual([{ host: 'n1', slots: 2 }, { host: 'n2', slots: 1 }]);
      expect(err(() => pbsHosts({ PBS_NODEFILE: join(dir, 'none') }))).toMatch(/cannot read PBS_NODEFILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('placement', () => {
  const hosts = [{ host: 'a', slots: 2 }, { host: 'b', slots: 2 }, { host: 'c', slots: 1 }];
  it('fills host by host by default, one rank per slot without -n', () => {
    expect(place(hosts, undefined, 'slot', false).hostOf).toEqual([0, 0, 1, 1, 2]);
    expect(place(hosts, 3, 'slot', false).hostOf).toEqual([0, 0, 1]);
  });
  it('deals round-robin with --map-by node', () => {
    expect(place(hosts, 5, 'node', false).hostOf).toEqual([0, 1, 2, 0, 1]);
  });
  it('refuses more ranks than slots, naming both numbers, unless oversubscribing', () => {
    expect(err(() => place(hosts, 6, 'slot', false))).toMatch(/6 ranks requested but the hosts have only 5 slots/);
    expect(place(hosts, 7, 'slot', true).hostOf).toHaveLength(7);
    expect(place(hosts, 7, 'node', true).hostOf).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });
});
