// Entry point: connects to the engine (the preload's bridge in the desktop app, `familiar serve` in a browser)
// and mounts the app.
import './lib/zod-jitless.js';
import { mount } from 'svelte';
import './styles/app.css';
import App from './App.svelte';
import { connectClient } from './lib/api.js';
import { LiveState } from './lib/live.svelte.js';

const client = connectClient();
const live = new LiveState();
live.connect(client);

mount(App, { target: document.getElementById('app')!, props: { client, live } });
