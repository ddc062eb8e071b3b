// A Node.js API client (dockerode) in a pod: pull an image, run a container,
// print its output, remove it. No docker CLI involved: the first connection
// to the socket is what starts dockerd (socket activation).
//   node dockerode-run.js IMAGE WORDS...
'use strict';
const Docker = require('dockerode');

const socketPath = process.env.DOCKER_SOCKET || '/var/run/docker.sock';
const docker = new Docker({ socketPath, timeout: 120000 });
const [image, ...words] = process.argv.slice(2);

function pull(ref) {
    return new Promise((resolve, reject) => {
        docker.pull(ref, (err, stream) => {
            if (err) return reject(err);
            docker.modem.followProgress(stream, (e, out) => (e ? reject(e) : resolve(out)));
        });
    });
}

async function main() {
    const version = await docker.version();
    console.error(`dockerode: engine ${version.Version}, API ${version.ApiVersion}`);
    await pull(image);
    const c = await docker.createContainer({ Image: image, Cmd: ['echo', ...words] });
    await c.start();
    await c.wait();
    const logs = await c.logs({ stdout: true, stderr: true });
    await c.remove();
    // the log stream is multiplexed: 8-byte frame headers before each chunk
    let out = '';
    for (let i = 0; i + 8 <= logs.length;) {
        const n = logs.readUInt32BE(i + 4);
        out += logs.subarray(i + 8, i + 8 + n).toString();
        i += 8 + n;
    }
    process.stdout.write(out);
}

main().catch((e) => { console.error(`dockerode: ${e.message || e}`); process.exit(1); });
