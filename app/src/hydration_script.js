// The hydration loader, after Leptos 0.8.23's (src/hydration/hydration_script.js, MIT).
// Used by app.rs' HydrationScripts: it starts fetching the wasm only once
// the page has loaded and its largest image (the `fetchpriority="high"`
// ones) has been painted, so the wasm never shares the link with them.
(function (root, pkg_path, output_name, wasm_output_name) {
	const hydrate = () => {
		const wasm = fetch(`${root}/${pkg_path}/${wasm_output_name}.wasm`);
		import(`${root}/${pkg_path}/${output_name}.js`).then(mod =>
			mod.default({module_or_path: wasm}).then(() => mod.hydrate()));
	};
	const painted = () => {
		const hero = Array.from(document.querySelectorAll('img[fetchpriority="high"]'), img => img.decode().catch(() => {}));
		// A frame after the images are decoded, then a task after that frame.
		Promise.all(hero).then(() => requestAnimationFrame(() => setTimeout(hydrate, 0)));
	};
	if (document.readyState === "complete") painted();
	else window.addEventListener("load", painted, {once: true});
})
