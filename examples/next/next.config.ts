import type { NextConfig } from "next";

const config: NextConfig = {
	// A Node server library that reads its own files at run time (migrations, the browser module)
	// and opens an embedded database: Node loads it from node_modules, it is not bundled.
	serverExternalPackages: ["intercom-bridge"],
	poweredByHeader: false,
};

export default config;
