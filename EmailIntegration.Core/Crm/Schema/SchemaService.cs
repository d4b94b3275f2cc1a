using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Crm.Schema;

/// <summary>
/// Reads and changes the schema of limetypes. Each limetype is a real table (<c>lt_NAME</c>) with
/// a column per stored property, so lookups by an indexed property are index seeks.
/// </summary>
public sealed class SchemaService(
    IDbContextFactory<AppDbContext> contextFactory, IEnumerable<ISchemaDependency> dependencies, ILogger<SchemaService> logger)
{
    // Note: schema changes run one at a time; DDL and the schema tables change together.
    private static readonly SemaphoreSlim ChangeLock = new(1, 1);
    private volatile CrmSchema? cached;
    private int version;

    public async Task<CrmSchema> GetAsync(CancellationToken cancellationToken = default)
    {
        if (cached is { } schema)
        {
            return schema;
        }

        // Note: a load that overlaps a schema change must not cache what it read before the change.
        var before = Volatile.Read(ref version);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadAsync(db, cancellationToken);
        if (Volatile.Read(ref version) == before)
        {
            cached = loaded;
        }

        return loaded;
    }

    /// <summary>Creates whatever of the default schema is missing; existing limetypes and data stay as they are.</summary>
    public async Task EnsureDefaultSchemaAsync(CancellationToken cancellationToken = default)
    {
        await ChangeAsync(async (db, schema) =>
        {
            var created = 0;
            foreach (var spec in DefaultSchema.Limetypes.Where(s => schema.Find(s.Name) is null))
            {
                await CreateLimetypeAsync(db, spec.Name, spec.Label, cancellationToken);
                created++;
            }

            schema = await LoadAsync(db, cancellationToken);
            foreach (var spec in DefaultSchema.Limetypes)
            {
                foreach (var p in spec.Properties.Where(p => schema.Get(spec.Name).Find(p.Name) is null))
                {
                    await CreatePropertyAsync(db, spec.Name, new NewProperty(
                        p.Name, p.Label, p.Type, p.Required, p.Indexed, p.Options, p.Related, p.Inverse, p.InverseLabel), cancellationToken);
                    schema = await LoadAsync(db, cancellationToken);
                }
            }

            if (created > 0)
            {
                logger.LogInformation("Created {Count} limetypes of the default schema", created);
            }
        }, cancellationToken);
    }

    public Task AddLimetypeAsync(string name, string label, CancellationToken cancellationToken = default) =>
        ChangeAsync(async (db, schema) =>
        {
            CheckName(name, "limetype");
            if (schema.Find(name) is not null)
            {
                throw new CrmException($"A limetype named '{name}' already exists.");
            }

            await CreateLimetypeAsync(db, name, string.IsNullOrWhiteSpace(label) ? name : label.Trim(), cancellationToken);
            logger.LogInformation("Limetype {Limetype} added", name);
        }, cancellationToken);

    public Task AddPropertyAsync(string limetype, NewProperty property, CancellationToken cancellationToken = default) =>
        ChangeAsync(async (db, _) =>
        {
            await CreatePropertyAsync(db, limetype, property, cancellationToken);
            logger.LogInformation("Property {Limetype}.{Property} ({Type}) added", limetype, property.Name, property.Type);
        }, cancellationToken);

    public Task RelabelPropertyAsync(string limetype, string property, string label, CancellationToken cancellationToken = default) =>
        ChangeAsync(async (db, schema) =>
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                throw new CrmException("Enter a label.");
            }

            var entity = await FindPropertyAsync(db, schema, limetype, property, cancellationToken);
            entity.Label = label.Trim();
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Removes a property and its column. Refused while data or another part of the schema depends on it,
    /// with a message that says what depends on it.
    /// </summary>
    public Task RemovePropertyAsync(string limetype, string property, CancellationToken cancellationToken = default) =>
        ChangeAsync(async (db, schema) =>
        {
            var entity = await FindPropertyAsync(db, schema, limetype, property, cancellationToken);
            var lt = schema.Get(limetype);
            var p = lt.Find(property)!;
            if (p.Type == PropertyType.HasMany)
            {
                throw new CrmException(
                    $"'{limetype}.{property}' is the other side of '{p.RelatedLimetype}.{p.InverseProperty}'. Remove that belongs-to property instead.");
            }

            foreach (var dependency in dependencies)
            {
                if (await dependency.BlockingUseAsync(db, schema, limetype, property, cancellationToken) is { } use)
                {
                    throw new CrmException($"'{limetype}.{property}' is used by {use}. Change that first.");
                }
            }

            var column = p.Column!;
#pragma warning disable EF1003 // Identifiers come from the schema and were checked by CrmSchema.IsValidName.
            var used = await db.Database.SqlQueryRaw<long>(
                $"SELECT COUNT(*) AS \"Value\" FROM {SqlDialect.Quote(lt.Table)} WHERE {SqlDialect.Quote(column)} IS NOT NULL" +
                (p.Type == PropertyType.YesNo ? $" AND {SqlDialect.Quote(column)} <> 0" : ""))
                .SingleAsync(cancellationToken);
#pragma warning restore EF1003
            if (used > 0)
            {
                throw new CrmException($"{used} {lt.Label.ToLowerInvariant()} object(s) have a value in '{property}'. Clear those values first.");
            }

            await db.Database.ExecuteSqlRawAsync(SqlDialect.DropIndex(lt.Table, column), cancellationToken);
            await db.Database.ExecuteSqlRawAsync(SqlDialect.DropColumn(lt.Table, column), cancellationToken);
            db.Remove(entity);
            if (p.Type == PropertyType.BelongsTo)
            {
                var inverse = await db.Set<PropertyEntity>()
                    .SingleOrDefaultAsync(x => x.Limetype!.Name == p.RelatedLimetype && x.Name == p.InverseProperty, cancellationToken);
                if (inverse is not null)
                {
                    db.Remove(inverse);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Property {Limetype}.{Property} removed", limetype, property);
        }, cancellationToken);

    private async Task ChangeAsync(Func<AppDbContext, CrmSchema, Task> change, CancellationToken cancellationToken)
    {
        await ChangeLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await change(db, await LoadAsync(db, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref version);
            cached = null;
            ChangeLock.Release();
        }
    }

    private static async Task CreateLimetypeAsync(AppDbContext db, string name, string label, CancellationToken cancellationToken)
    {
        var table = CrmSchema.TableName(name);
        await db.Database.ExecuteSqlRawAsync(SqlDialect.CreateTable(table), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(SqlDialect.CreatedIndex(table), cancellationToken);
        db.Add(new LimetypeEntity { Name = name, Label = label });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task CreatePropertyAsync(AppDbContext db, string limetype, NewProperty property, CancellationToken cancellationToken)
    {
        var schema = await LoadAsync(db, cancellationToken);
        var lt = schema.Find(limetype) ?? throw new CrmException($"Unknown limetype '{limetype}'.");
        CheckName(property.Name, "property");
        if (CrmSchema.IsSystemKey(property.Name) || property.Name == "id")
        {
            throw new CrmException($"'{property.Name}' is reserved.");
        }

        if (lt.Find(property.Name) is not null)
        {
            throw new CrmException($"'{limetype}' already has a property named '{property.Name}'.");
        }

        if (property.Type == PropertyType.HasMany)
        {
            throw new CrmException("Add the belongs-to side of a relation; its has-many side is created with it.");
        }

        var options = property.Options ?? [];
        if (property.Type == PropertyType.Option && (options.Count == 0 || options.Any(o => !CrmSchema.IsValidName(o.Key))))
        {
            throw new CrmException("An option property needs at least one option; keys are lower-case letters, digits and _.");
        }

        Limetype? related = null;
        if (property.Type == PropertyType.BelongsTo)
        {
            related = schema.Find(property.RelatedLimetype ?? "")
                ?? throw new CrmException($"Choose the limetype '{property.Name}' points to.");
            var inverseName = property.InverseName ?? limetype;
            CheckName(inverseName, "inverse property");
            if (related.Find(inverseName) is not null)
            {
                throw new CrmException($"'{related.Name}' already has a property named '{inverseName}'; choose another name for the inverse side.");
            }

            property = property with { InverseName = inverseName };
        }

        var sortOrder = lt.Ordered.Count;
        var entity = new PropertyEntity
        {
            LimetypeId = await db.Set<LimetypeEntity>().Where(l => l.Name == limetype).Select(l => l.Id).SingleAsync(cancellationToken),
            Name = property.Name,
            Label = string.IsNullOrWhiteSpace(property.Label) ? property.Name : property.Label.Trim(),
            Type = property.Type,
            Required = property.Required,
            Indexed = property.Indexed || property.Type == PropertyType.BelongsTo,
            OptionsJson = property.Type == PropertyType.Option ? CrmSchema.SerializeOptions(options) : null,
            RelatedLimetype = related?.Name,
            InverseProperty = property.InverseName,
            SortOrder = sortOrder,
        };
        db.Add(entity);
        if (related is not null)
        {
            db.Add(new PropertyEntity
            {
                LimetypeId = await db.Set<LimetypeEntity>().Where(l => l.Name == related.Name).Select(l => l.Id).SingleAsync(cancellationToken),
                Name = property.InverseName!,
                Label = property.InverseLabel ?? lt.Label,
                Type = PropertyType.HasMany,
                RelatedLimetype = limetype,
                InverseProperty = property.Name,
                SortOrder = related.Ordered.Count,
            });
        }

        var view = ToView(limetype, entity);
        await db.Database.ExecuteSqlRawAsync(SqlDialect.AddColumn(lt.Table, view, related?.Table), cancellationToken);
        if (entity.Indexed)
        {
            await db.Database.ExecuteSqlRawAsync(SqlDialect.CreateIndex(lt.Table, view.Column!), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<PropertyEntity> FindPropertyAsync(
        AppDbContext db, CrmSchema schema, string limetype, string property, CancellationToken cancellationToken)
    {
        var lt = schema.Find(limetype) ?? throw new CrmException($"Unknown limetype '{limetype}'.");
        if (lt.Find(property) is null)
        {
            throw new CrmException($"'{limetype}' has no property named '{property}'.");
        }

        return await db.Set<PropertyEntity>().SingleAsync(p => p.Limetype!.Name == limetype && p.Name == property, cancellationToken);
    }

    private static void CheckName(string name, string what)
    {
        if (!CrmSchema.IsValidName(name))
        {
            throw new CrmException($"'{name}' is not a valid {what} name: use lower-case letters, digits and _, starting with a letter.");
        }
    }

    private static async Task<CrmSchema> LoadAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var limetypes = await db.Set<LimetypeEntity>().AsNoTracking().Include(l => l.Properties).ToListAsync(cancellationToken);
        return new CrmSchema(limetypes.Select(l => new Limetype(
            l.Name, l.Label, l.Properties.OrderBy(p => p.SortOrder).ThenBy(p => p.Id).Select(p => ToView(l.Name, p)))));
    }

    private static LimeProperty ToView(string limetype, PropertyEntity p) =>
        new(limetype, p.Name, p.Label, p.Type, p.Required, p.Indexed, CrmSchema.ParseOptions(p.OptionsJson), p.RelatedLimetype, p.InverseProperty);
}
