// A folder removed while it is being imported: the removal waits for the import (one writer of photos at a time). A
// code review found the import's last step, watching its folders, ran after it had let the removal go: the removal
// read the folder as not watched, the import then watched the folder it took out, and the two results disagreed
// ("watched now" against "was not watched"). The import's end now settles its folders before the removal looks.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatch.js';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { Engine } from '../../../main/engine.js';
import { watchedFolders } from '../../../main/library/remove-folder.js';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import type { DetectedFace, RgbImage } from '../../../models/types.js';
import { peopleAlbum } from '../library/helpers.js';

const setup = peopleAlbum('familiar-remove-during-import-', ['Tony_Blair']);

/** The run's analyses, the photos after the first two let through one a second until `open()`. */
class SlowAfterTwo implements FaceAnalysisService {
  private calls = 0;
  private opened = false;
  get size(): number {
    return setup.pool.size;
  }
  async analyze(image: RgbImage, options?: Parameters<FaceAnalysisService['analyze']>[1]): Promise<DetectedFace[]> {
    const turn = ++this.calls - 2;
    for (let waited = 0; turn > 0 && !this.opened && waited < turn * 1000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    return setup.pool.analyze(image, options);
  }
  open(): void {
    this.opened = true;
  }
}

describe('a folder removed while it is being imported', () => {
  it('is removed after the import\'s end, and the two results agree on its watching', async () => {
    const analyzer = new SlowAfterTwo();
    const engine = await Engine.open(join(setup.work, 'library'), { analyzer });
    const jobs = new JobRegistry(new EventHub());
    const api = await openEngineHandlers({ libraryDir: engine.dir, mode: 'browser', version: 'test', events: new EventHub(), jobs, generated: new GeneratedImages(), engine });
    const dispatcher = createDispatcher(api.handlers);
    const folder = join(setup.album, 'Tony_Blair');
    try {
      const started = await dispatcher.call('import.start', { paths: [folder] });
      const importing = (started.result as { jobId: string }).jobId;
      for (let waited = 0; engine.library.photos.length === 0 && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(engine.library.photos.length).toBeGreaterThan(0);
      // Asked while the import reads on: queued behind it.
      const removal = await dispatcher.call('library.removeFolder', { path: folder });
      expect(removal.error).toBeUndefined();
      analyzer.open();
      const imported = await jobs.settled(importing);
      const removed = await jobs.settled((removal.result as { jobId: string }).jobId);
      expect([imported.state, removed.state]).toEqual(['done', 'done']);
      expect((imported.result as { watchedNow: string[] }).watchedNow).toEqual([folder]);
      expect(removed.result).toMatchObject({ photos: 10, watched: true });
      expect(engine.library.photos).toEqual([]);
      expect(watchedFolders(engine.library.settings)).toEqual([]);
    } finally {
      await jobs.shutdown();
      await api.close();
      await engine.close();
    }
  }, 300_000);
});
