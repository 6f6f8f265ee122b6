import { Module } from '@nestjs/common';
import { ChildrenModule } from 'src/children/children.module.js';
import { RecordsModule } from 'src/records/records.module.js';
import { ChangeFeedRepository } from 'src/sync/change-feed.repository.js';
import { SyncResolver } from 'src/sync/sync.resolver.js';
import { SyncService } from 'src/sync/sync.service.js';

/** The change feed: what each case system may see of every change, in commit order. */
@Module({
  imports: [ChildrenModule, RecordsModule],
  providers: [ChangeFeedRepository, SyncService, SyncResolver],
})
export class SyncModule {}
