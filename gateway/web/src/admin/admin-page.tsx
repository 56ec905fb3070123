export function AdminPage({ path }: { path: string }) {
  return (
    <main>
      <h1>Console</h1>
      <p>{path}</p>
    </main>
  );
}
