/** The root layout: every page gets the Messenger, booted for its visitor from the bridge. */
import { nextMessengerScript } from "intercom-bridge/next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { getBridge } from "../lib/bridge";

export const metadata = { title: "Brew & Byte (Next.js)" };

export default async function RootLayout({ children }: { children: ReactNode }) {
	const script = await nextMessengerScript(await getBridge(), await headers());
	return (
		<html lang="en">
			<body>
				{children}
				{script && (
					// biome-ignore lint/security/noDangerouslySetInnerHtml: the bridge's own loader, every value in it escaped for an inline script
					<script {...script.attributes} dangerouslySetInnerHTML={{ __html: script.js }} />
				)}
			</body>
		</html>
	);
}
