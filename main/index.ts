// The desktop app's entry (out/main/index.js). All start-up lives in the Electron shell.
import './shell/app';
