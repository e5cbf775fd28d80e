using Ssr2Ledger.Database;
using Ssr2Ledger.Hosting;

return await CommandLine.RunAsync(args);

/// <summary>The composition root is <see cref="WebHost"/>; the verbs are in <see cref="CommandLine"/>.</summary>
public partial class Program;
