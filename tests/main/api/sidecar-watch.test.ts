// A sidecar another app saves in a watched folder, on real photos: digiKam names Obama in obama.jpg.xmp while Familiar
// runs, and his face is named without the user asking for it (a names import job, which Undo takes back like any). The
// sidecars Familiar's own export writes into the folder are not read back, unless another app changed them since; one
// another Familiar export built is read, and said to be Familiar's.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { Library } from '../../../main/store/library.js';
import { calls, type CallName } from '../../../preload/contract.js';
import { lfwPhoto, sharedFaces } from '../library/helpers.js';

let work: string;
let album: string;
let api: Api;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

const namesJobs = () => api.jobs.list().filter((job) => job.kind === 'import-names');

/** An XMP sidecar as digiKam writes it: one named MWG face region, centre and size as fractions of the picture. */
const digiKamSidecar = (name: string, [x, y, w, h]: readonly number[]) => `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:digiKam="http://www.digikam.org/ns/1.0/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
   <digiKam:TagsList><rdf:Seq><rdf:li>People/${name}</rdf:li></rdf:Seq></digiKam:TagsList>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="910" stDim:h="1137" stDim:unit="pixel"/>
    <mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="${name}" mwg-rs:Type="Face">
     <mwg-rs:Area stArea:x="${x}" stArea:y="${y}" stArea:w="${w}" stArea:h="${h}" stArea:unit="normalized"/>
    </rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-sidecar-watch-'));
  album = join(work, 'album');
  await mkdir(album);
  await copyFile(join(sharedFaces, 'face_recognition', 'obama', 'obama.jpg'), join(album, 'obama.jpg'));
  await copyFile(lfwPhoto('Colin_Powell', 1), join(album, 'powell.jpg'));
  await copyFile(lfwPhoto('Adrien_Brody', 1), join(album, 'brody.jpg'));
  api = await createApi({ libraryDir: join(work, 'library'), mode: 'browser', log: () => {} });
  const { jobId } = await ok('import.start', { paths: [album] });
  expect((await api.jobs.settled(jobId)).state).toBe('done');
  for (let waited = 0; !api.watcher.watching.includes(album); waited += 100) {
    if (waited > 30_000) throw new Error(`${album} is not watched after its import`);
    await new Promise((settle) => setTimeout(settle, 100));
  }
}, 300_000);

afterAll(async () => {
  await api?.close();
  await rm(work, { recursive: true, force: true });
});

describe('sidecars saved in a watched folder', () => {
  let obamaFace: string;
  let powellFace: string;

  it("names a face from the sidecar digiKam saves beside its photo, in a names import Undo takes back", async () => {
    const reader = await Library.open(join(work, 'library'), { readOnly: true });
    const photo = reader.photos.find((p) => p.paths.some((path) => path.endsWith('obama.jpg')))!;
    const [face] = reader.facesOfPhoto(photo.id);
    powellFace = reader.faces.find((f) => reader.photo(f.photoId)!.paths.some((path) => path.endsWith('powell.jpg')))!.id;
    await reader.close();
    obamaFace = face.id;
    expect((await ok('faces.get', { faceId: obamaFace })).personName).toBeNull();
    const [x, y, w, h] = face.box;
    await writeFile(join(album, 'obama.jpg.xmp'), digiKamSidecar('Barack Obama', [(x + w / 2) / photo.width, (y + h / 2) / photo.height, w / photo.width, h / photo.height]));

    await expect.poll(() => namesJobs().some((job) => job.state === 'done'), { timeout: 60_000, interval: 250 }).toBe(true);
    expect(namesJobs()[0].result).toMatchObject({ facesNamed: 1, newPeople: ['Barack Obama'], sidecarsChanged: [join(album, 'obama.jpg.xmp')] });
    expect(await ok('faces.get', { faceId: obamaFace })).toMatchObject({ personName: 'Barack Obama' });
    // No photo changed: no import.
    expect(api.jobs.list().filter((job) => job.kind === 'import')).toHaveLength(1);
    await ok('undo', { onlyIfLatestIs: 'import-names' });
    expect((await ok('faces.get', { faceId: obamaFace })).personName).toBeNull();
    await ok('redo', {});
    expect((await ok('faces.get', { faceId: obamaFace })).personName).toBe('Barack Obama');
  }, 120_000);

  it("does not read back the sidecars its own export writes into the folder, but reads another app's saved a moment after", async () => {
    const before = await readFile(join(album, 'obama.jpg.xmp'), 'utf8');
    const { jobId } = await ok('names.export', {});
    expect((await api.jobs.settled(jobId)).state).toBe('done');
    // Written into digiKam's sidecar (the keyword lists it lacked): a change the watcher hears.
    expect(await readFile(join(album, 'obama.jpg.xmp'), 'utf8')).not.toBe(before);
    // The watcher's quiet period (4 s) and then some.
    await new Promise((settle) => setTimeout(settle, 7_000));
    expect(namesJobs()).toHaveLength(1);

    // Colin Powell named in Familiar and his sidecar written; digiKam saves it a moment later (a rating), within the same
    // quiet period: the watcher reports one change, and the file is not as Familiar left it.
    await ok('faces.name', { faceIds: [powellFace], name: 'Colin Powell' });
    const again = await ok('names.export', {});
    expect((await api.jobs.settled(again.jobId)).state).toBe('done');
    const sidecar = join(album, 'powell.jpg.xmp');
    const exported = await readFile(sidecar, 'utf8');
    expect(exported).toContain('Colin Powell');
    await writeFile(sidecar, exported.replace('<rdf:Description rdf:about=""', '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4"'));
    await expect.poll(() => namesJobs().filter((job) => job.state === 'done').length, { timeout: 60_000, interval: 250 }).toBe(2);
    const read = namesJobs().filter((job) => (job.result as { sidecarsChanged?: string[] } | null)?.sidecarsChanged?.includes(sidecar));
    expect(read.map((job) => job.result)).toMatchObject([{ sidecarsChanged: [sidecar], facesNamed: 0, alreadyNamed: 1 }]);
    // Changed by digiKam: not a sidecar as Familiar built it, so the window says "another app saved".
    expect((read[0].result as { sidecarsBuiltByFamiliar?: boolean }).sidecarsBuiltByFamiliar).toBeUndefined();
  }, 90_000);

  it('reads a sidecar another Familiar export built, and says it was one, so the window can keep quiet about it', async () => {
    const reader = await Library.open(join(work, 'library'), { readOnly: true });
    const brodyFace = reader.faces.find((f) => reader.photo(f.photoId)!.paths.some((path) => path.endsWith('brody.jpg')))!.id;
    await reader.close();
    await ok('faces.name', { faceIds: [brodyFace], name: 'Adrien Brody' });
    const { jobId } = await ok('names.export', {});
    expect((await api.jobs.settled(jobId)).state).toBe('done');
    await new Promise((settle) => setTimeout(settle, 7_000));
    const before = namesJobs().length;

    // `familiar names export` run from a terminal beside the app (or another computer's Familiar, synced) saves the
    // same sidecar again: this window did not write it, so it is read, and found to be Familiar's own, unchanged.
    const sidecar = join(album, 'brody.jpg.xmp');
    const built = await readFile(sidecar, 'utf8');
    expect(built).toContain('familiar:SidecarDigest');
    await writeFile(sidecar, built);
    await expect.poll(() => namesJobs().filter((job) => job.state === 'done').length, { timeout: 60_000, interval: 250 }).toBe(before + 1);
    const read = namesJobs().find((job) => (job.result as { sidecarsChanged?: string[] } | null)?.sidecarsChanged?.includes(sidecar));
    expect(read?.result).toMatchObject({ sidecarsChanged: [sidecar], facesNamed: 0, alreadyNamed: 1, sidecarsBuiltByFamiliar: true });
    // Its reports said so while it ran, so the window kept its progress off Settings' card too.
    expect(read?.progress?.detail).toMatchObject({ sidecarsBuiltByFamiliar: true });
  }, 90_000);
});
