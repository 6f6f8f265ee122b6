import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { Agency, LocalAuthorityServices } from 'src/directory/directory.model.js';
import { Viewer } from 'src/auth/viewer.model.js';

@Resolver()
export class DirectoryResolver {
  constructor(@Inject(AgencyDirectory) private readonly directory: AgencyDirectory) {}

  @Query(() => Viewer, { description: 'Who Tandem takes the caller to be: subject, agency, case system, roles.' })
  @RequirePermission(Permission.DIRECTORY_READ)
  async me(@CurrentPrincipal() principal: Principal): Promise<Viewer> {
    return {
      subject: principal.subject,
      name: principal.name,
      agency: await this.directory.agency(principal.agency.id),
      caseSystem: principal.caseSystem.code,
      roles: [...principal.roles],
    };
  }

  @Query(() => [Agency], { description: 'Every agency connected to Tandem, by code.' })
  @RequirePermission(Permission.DIRECTORY_READ)
  agencies(): Promise<Agency[]> {
    return this.directory.agencies();
  }

  @Query(() => [LocalAuthorityServices], {
    description:
      "Every local authority connected to Tandem, by code, with its youth justice service, children's social care (and front door) and leaving-care service.",
  })
  @RequirePermission(Permission.DIRECTORY_READ)
  localAuthorities(): Promise<LocalAuthorityServices[]> {
    return this.directory.localAuthorityServices();
  }
}
