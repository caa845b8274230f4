/** The home page: greets the visitor by the name the bridge keeps for them (e.g. from a Series). */
import { headers } from "next/headers";
import { getBridge } from "../lib/bridge";

export default async function Home() {
	const h = await headers();
	const contact = await (await getBridge()).contacts.current({
		url: `http://${h.get("host") ?? "localhost"}/`,
		method: "GET",
		headers: h,
	});
	return (
		<main>
			<h1>Brew &amp; Byte</h1>
			<p id="greeting">{contact?.firstName ? `Hello again, ${contact.firstName}!` : "Hello!"}</p>
		</main>
	);
}
