using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mimicry.Grains;
using Mimicry.Grains.Loops;
using Mimicry.Grains.Sessions;
using Mimicry.Grains.Simulators;
using Mimicry.Storage;
using Mimicry.Simulation;

namespace Mimicry.Hosting;

/// <summary>Registers what Mimicry's grains need on a silo.</summary>
public static class MimicrySiloExtensions
{
    /// <summary>Adds the grains' services with <paramref name="store"/> as the notebook store.</summary>
    public static ISiloBuilder AddMimicry(this ISiloBuilder silo, INotebookStore store)
    {
        // Our own trace propagation (no span per grain call; see TraceContext), not Orleans' AddActivityPropagation.
        silo.AddIncomingGrainCallFilter<Mimicry.Grains.Telemetry.TraceContextIncomingFilter>();
        silo.AddOutgoingGrainCallFilter<Mimicry.Grains.Telemetry.TraceContextOutgoingFilter>();
        silo.Services.AddMimicryServices(store);
        return silo;
    }

    public static IServiceCollection AddMimicryServices(this IServiceCollection services, INotebookStore store)
    {
        services.TryAddSingleton(MimicryClock.System);
        services.AddSingleton(store);
        services.AddSingleton<ISessionSimulator, SyntheticSimulator>();
        services.TryAddSingleton<Mimicry.Models.Admission.IQuotaShare, Mimicry.Models.Admission.SingleSiloShare>();
        services.TryAddSingleton(Mimicry.SpecReading.ModelBackends.None);
        services.AddSingleton(sp => new Mimicry.Models.OpenAi.OpenAiBackends(
            sp.GetRequiredService<Mimicry.Models.Admission.IQuotaShare>(), sp.GetRequiredService<MimicryClock>().Time, sp.GetRequiredService<Mimicry.SpecReading.ModelBackends>()));
        services.AddSingleton<ISessionSimulator, Mimicry.Models.OpenAi.OpenAiSimulator>();
        services.AddSingleton<ICandidateCritic, Mimicry.Models.OpenAi.OpenAiCritic>();
        services.AddSingleton<INotebookDigests, Mimicry.Models.OpenAi.OpenAiDigests>();
        services.TryAddSingleton<Mimicry.Probes.IProbeScorer, Mimicry.Calibration.MiniLmScorer>();
        services.AddSingleton<Mimicry.Grains.Calibration.CalibrationService>();
        services.AddSingleton<Mimicry.Grains.Reviews.ReviewService>();
        services.AddSingleton<SimulatorCatalog>();
        services.AddSingleton<SessionRunner>();
        services.AddSingleton<LoopStates>();
        services.AddOptions<LoopOptions>().BindConfiguration(LoopOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<LoopOptions>, LoopOptionsValidator>();
        return services;
    }
}
