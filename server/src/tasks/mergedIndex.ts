// A task index assembled from per-file contributions that arrive in any order (a folder walked with
// priorities, a worker's batches), with lm-eval's rule that the first file in POSIX path order wins.
import * as path from 'node:path';
import type { FileContribution, IndexedTask, TaskIndex } from './taskIndex';

const posix = (p: string) => (path.sep === '/' ? p : p.split(path.sep).join('/'));

/**
 * A task index assembled from per-file contributions that arrive in any order, with lm-eval's rule
 * that the first file in POSIX path order wins a name. Readers see the same maps however far the
 * build has come: a name found is found for good; a name missing may still arrive.
 */
export class MergedTaskIndex implements TaskIndex {
  readonly tasks = new Map<string, IndexedTask>();
  readonly groups = new Map<string, string[]>();
  readonly tags = new Map<string, string[]>();
  /** Task name → the file whose own task it is (inline tasks of a group have none). */
  readonly owners = new Map<string, string>();
  private readonly rank = new Map<string, string>();
  private readonly groupRank = new Map<string, string>();
  private readonly tagRanks = new Map<string, string[]>();

  add(file: string, c: FileContribution): void {
    const r = posix(file);
    for (const t of c.tasks) {
      const had = this.rank.get(t.name);
      if (had !== undefined && had <= r) continue;
      this.rank.set(t.name, r);
      this.tasks.set(t.name, {
        outputType: t.outputType,
        ...(t.maxGenToks !== undefined ? { maxGenToks: t.maxGenToks } : {}),
        ...(t.inline ? {} : { path: file }),
      });
      if (t.inline) this.owners.delete(t.name);
      else this.owners.set(t.name, file);
    }
    for (const [g, members] of c.groups) {
      const had = this.groupRank.get(g);
      if (had !== undefined && had <= r) continue;
      this.groupRank.set(g, r);
      this.groups.set(g, members);
    }
    if (c.task === undefined) return;
    for (const tag of c.tags) this.addTagMember(tag, c.task, r);
  }

  /** Tag members stay in path order of the files that join them, each name once (its first file). */
  private addTagMember(tag: string, name: string, r: string): void {
    let list = this.tags.get(tag);
    let ranks = this.tagRanks.get(tag);
    if (!list || !ranks) {
      list = [];
      ranks = [];
      this.tags.set(tag, list);
      this.tagRanks.set(tag, ranks);
    }
    const at = list.indexOf(name);
    if (at >= 0) {
      if (ranks[at] <= r) return;
      list.splice(at, 1);
      ranks.splice(at, 1);
    }
    let i = ranks.length;
    while (i > 0 && ranks[i - 1] > r) i--;
    list.splice(i, 0, name);
    ranks.splice(i, 0, r);
  }

  clear(): void {
    for (const m of [this.tasks, this.groups, this.tags, this.owners, this.rank, this.groupRank, this.tagRanks])
      m.clear();
  }
}
